import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// Unified limits (use_keystone_limits): registered limits and a project limit set in identity,
// read by the image service with its system-scoped service token, enforced as oslo.limit does
// (usage plus delta must not pass the limit) and reported by /v2/info/usage.
describe('image quotas from unified limits', () => {
  let cloud: TestCloud;
  let base: string;
  let token: string;
  let projectId: string;

  // Keystone 22 lets only a system administrator manage limits: the admin's system-scoped token.
  let systemToken: string;
  const identity = (method: string, path: string, body?: unknown) =>
    fetch(`${cloud.url('identity')}/v3${path}`, {
      method,
      headers: { 'x-auth-token': systemToken, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }).then(async (r) => ({ status: r.status, body: (await r.json().catch(() => undefined)) as any }));
  const image = (method: string, path: string, body?: Buffer | object) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        'x-auth-token': token,
        accept: 'application/json',
        'content-type': body instanceof Buffer ? 'application/octet-stream' : 'application/json',
      },
      ...(body ? { body: body instanceof Buffer ? body : JSON.stringify(body) } : {}),
    }).then(async (r) => ({ status: r.status, body: (await r.json().catch(() => undefined)) as any }));

  beforeAll(async () => {
    cloud = await startTestCloud([identityService, imageService], {
      identity: { password_hash_rounds: 4 },
      image: { use_keystone_limits: true },
    });
    base = cloud.url('image');
    ({ token, projectId } = await adminToken(cloud));
    const password = parse(readFileSync(join(cloud.dataDir, 'clouds.yaml'), 'utf8')).clouds.nimbus.auth
      .password;
    const issued = await fetch(`${cloud.url('identity')}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: 'admin', domain: { id: 'default' }, password } },
          },
          scope: { system: { all: true } },
        },
      }),
    });
    systemToken = issued.headers.get('x-subject-token')!;
    const service = (await identity('GET', '/services?type=image')).body.services[0].id;
    const registered = await identity('POST', '/registered_limits', {
      registered_limits: [
        { service_id: service, resource_name: 'image_count_total', default_limit: 1 },
        { service_id: service, resource_name: 'image_size_total', default_limit: 1 },
        { service_id: service, resource_name: 'image_stage_total', default_limit: 1 },
        { service_id: service, resource_name: 'image_count_uploading', default_limit: 2 },
      ],
    });
    expect(registered.status).toBe(201);
    const own = await identity('POST', '/limits', {
      limits: [
        { service_id: service, project_id: projectId, resource_name: 'image_count_total', resource_limit: 2 },
      ],
    });
    expect(own.status).toBe(201);
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('enforces image counts and stored bytes, and reports usage against the limits', async () => {
    const empty = (await image('GET', '/v2/info/usage')).body.usage;
    expect(empty).toEqual({
      image_size_total: { usage: 0, limit: 1 },
      image_stage_total: { usage: 0, limit: 1 },
      image_count_total: { usage: 0, limit: 2 },
      image_count_uploading: { usage: 0, limit: 2 },
    });
    const first = (await image('POST', '/v2/images', { disk_format: 'raw', container_format: 'bare' })).body;
    // 2 MiB stored: allowed (usage 0 before), and then the project is over image_size_total.
    expect((await image('PUT', `/v2/images/${first.id}/file`, Buffer.alloc(2 * 1024 * 1024))).status).toBe(
      204,
    );
    const second = (await image('POST', '/v2/images', { disk_format: 'raw', container_format: 'bare' })).body;
    const refused = await image('PUT', `/v2/images/${second.id}/file`, Buffer.alloc(1024));
    expect(refused.status).toBe(413);
    expect(JSON.stringify(refused.body)).toMatch(
      /Resource image_size_total is over limit of 1 due to current usage 2/,
    );
    expect((await image('GET', `/v2/images/${second.id}`)).body.status).toBe('queued');
    // The project limit (2) overrides the registered default (1); oslo.limit checks with delta 0.
    expect((await image('POST', '/v2/images', {})).status).toBe(201);
    const third = await image('POST', '/v2/images', {});
    expect(third.status).toBe(413);
    expect(JSON.stringify(third.body)).toMatch(/image_count_total is over limit of 2 due to current usage 3/);
    const usage = (await image('GET', '/v2/info/usage')).body.usage;
    expect(usage.image_size_total).toEqual({ usage: 2, limit: 1 });
    expect(usage.image_count_total).toEqual({ usage: 3, limit: 2 });
  });
});
