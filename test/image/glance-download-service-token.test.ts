import { randomUUID } from 'node:crypto';
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The image service acting for a user through its injected clients: a glance-download from the
// Glance of another region (a recording stand-in listed in the catalog) carries the user's token as
// X-Auth-Token and the glance service user's own as X-Service-Token, as keystonemiddleware expects.
describe('image service calls another Glance for a user with both tokens', () => {
  let cloud: TestCloud;
  let remote: FastifyInstance;
  let token: string;
  const remoteId = randomUUID();
  const seen: { path: string; auth?: string; service?: string }[] = [];

  const call = (
    base: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${base}${path}`, {
      method,
      headers: { 'x-auth-token': token, 'content-type': 'application/json', ...headers },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }).then(async (r) => ({ status: r.status, body: (await r.json().catch(() => undefined)) as any }));

  beforeAll(async () => {
    cloud = await startTestCloud([identityService, imageService], { identity: { password_hash_rounds: 4 } });
    ({ token } = await adminToken(cloud));
    remote = fastify();
    remote.addHook('onRequest', async (req) => {
      seen.push({
        path: req.url,
        auth: req.headers['x-auth-token'] as string | undefined,
        service: req.headers['x-service-token'] as string | undefined,
      });
    });
    remote.get('/v2/images/:id', async () => ({
      id: remoteId,
      status: 'active',
      disk_format: 'raw',
      container_format: 'bare',
      os_distro: 'far-away',
    }));
    remote.get('/v2/images/:id/file', async (_req, reply) =>
      reply.header('content-type', 'application/octet-stream').send(Buffer.alloc(4096, 9)),
    );
    await remote.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(remote.server.address() as { port: number }).port}`;
    const identity = `${cloud.url('identity')}/v3`;
    expect((await call(identity, 'POST', '/regions', { region: { id: 'RegionTwo' } })).status).toBe(201);
    const service = (await call(identity, 'GET', '/services?type=image')).body.services[0].id;
    const endpoint = { service_id: service, interface: 'public', region_id: 'RegionTwo', url };
    expect((await call(identity, 'POST', '/endpoints', { endpoint })).status).toBe(201);
  });
  afterAll(async () => {
    await remote?.close();
    await cloud?.stop();
  });

  it('sends the caller token and a valid glance service token', async () => {
    const image = cloud.url('image');
    const target = (await call(image, 'POST', '/v2/images', { disk_format: 'raw', container_format: 'bare' }))
      .body;
    const started = await call(image, 'POST', `/v2/images/${target.id}/import`, {
      method: { name: 'glance-download', glance_image_id: remoteId, glance_region: 'RegionTwo' },
    });
    expect(started.status).toBe(202);
    let now: any;
    for (let i = 0; i < 200; i++) {
      now = (await call(image, 'GET', `/v2/images/${target.id}`)).body;
      if (now.status === 'active') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(now).toMatchObject({ status: 'active', size: 4096 });
    expect(seen.map((s) => s.path)).toEqual([`/v2/images/${remoteId}`, `/v2/images/${remoteId}/file`]);
    for (const s of seen) {
      expect(s.auth).toBe(token);
      expect(s.service).toBeTruthy();
    }
    // The service token is the glance service user's, with the service role keystonemiddleware checks.
    const check = await call(`${cloud.url('identity')}/v3`, 'GET', '/auth/tokens', undefined, {
      'x-subject-token': seen[0]!.service!,
    });
    expect(check.status).toBe(200);
    expect(check.body.token.user.name).toBe('glance');
    expect(check.body.token.roles.map((r: { name: string }) => r.name)).toContain('service');
  });
});
