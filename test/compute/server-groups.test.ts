import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, computeCloud, waitServer } from './compute-cloud';

const V264 = { 'openstack-api-version': 'compute 2.64' };

describe('compute: server groups (os-server-groups) and the group scheduler hint', () => {
  let env: Awaited<ReturnType<typeof computeCloud>>;
  let compute: Caller;

  beforeAll(async () => {
    env = await computeCloud();
    compute = env.compute;
  });
  afterAll(async () => {
    await env?.cloud.stop();
  });

  async function boot(name: string, group: string): Promise<any> {
    const r = await compute(
      'POST',
      '/servers',
      {
        server: { name, flavorRef: env.flavorId, imageRef: env.imageId, networks: 'none' },
        'os:scheduler_hints': { group },
      },
      { 'openstack-api-version': 'compute 2.37' },
    );
    expect(r.status).toBe(202);
    return waitServer(compute, r.body.server.id, (s) => s.status === 'ACTIVE' || s.status === 'ERROR');
  }

  it('creates, shows, lists and deletes groups with the view of each microversion', async () => {
    const old = await compute('POST', '/os-server-groups', {
      server_group: { name: 'g-old', policies: ['anti-affinity'] },
    });
    expect(old.status).toBe(200);
    expect(old.body.server_group).toEqual({
      id: expect.any(String),
      name: 'g-old',
      policies: ['anti-affinity'],
      members: [],
      metadata: {},
    });
    const created = await compute(
      'POST',
      '/os-server-groups',
      { server_group: { name: 'g-new', policy: 'anti-affinity', rules: { max_server_per_host: 2 } } },
      V264,
    );
    expect(created.status).toBe(200);
    expect(created.body.server_group).toEqual({
      id: expect.any(String),
      name: 'g-new',
      policy: 'anti-affinity',
      rules: { max_server_per_host: 2 },
      members: [],
      project_id: env.projectId,
      user_id: expect.any(String),
    });
    const id = created.body.server_group.id;
    const shown = await compute('GET', `/os-server-groups/${id}`, undefined, V264);
    expect(shown.body.server_group).toEqual(created.body.server_group);
    const listed = await compute('GET', '/os-server-groups', undefined, V264);
    expect(listed.body.server_groups.map((g: any) => g.id)).toEqual([old.body.server_group.id, id]);
    const paged = await compute('GET', '/os-server-groups?limit=1&offset=1');
    expect(paged.body.server_groups.map((g: any) => g.id)).toEqual([id]);
    expect((await compute('DELETE', `/os-server-groups/${id}`)).status).toBe(204);
    expect((await compute('GET', `/os-server-groups/${id}`)).status).toBe(404);
    expect((await compute('DELETE', `/os-server-groups/${id}`)).status).toBe(404);
    expect((await compute('DELETE', `/os-server-groups/${old.body.server_group.id}`)).status).toBe(204);
  });

  it('rejects bad bodies as Nova does', async () => {
    const post = (body: unknown, h: Record<string, string> = {}) =>
      compute('POST', '/os-server-groups', body, h);
    expect((await post({ server_group: { name: 'x', policies: ['bogus'] } })).status).toBe(400);
    expect(
      (await post({ server_group: { name: 'x', policies: ['affinity', 'anti-affinity'] } })).status,
    ).toBe(400);
    // The soft policies exist from 2.15; `policy` replaces `policies` at 2.64.
    expect((await post({ server_group: { name: 'x', policies: ['soft-affinity'] } })).status).toBe(400);
    expect((await post({ server_group: { name: 'x', policy: 'affinity' } })).status).toBe(400);
    expect((await post({ server_group: { name: 'x', policies: ['affinity'] } }, V264)).status).toBe(400);
    const rules = await post(
      { server_group: { name: 'x', policy: 'affinity', rules: { max_server_per_host: 2 } } },
      V264,
    );
    expect(rules.status).toBe(400);
    expect(rules.body.badRequest.message).toBe('Only anti-affinity policy supports rules.');
    expect(
      (
        await post(
          { server_group: { name: 'x', policy: 'anti-affinity', rules: { max_server_per_host: 0 } } },
          V264,
        )
      ).status,
    ).toBe(400);
    expect((await post({ server_group: { name: ' x', policies: ['affinity'] } })).status).toBe(400);
  });

  it('counts the server_groups quota (403 over it)', async () => {
    await compute('PUT', `/os-quota-sets/${env.projectId}`, { quota_set: { server_groups: 1 } });
    const one = await compute('POST', '/os-server-groups', {
      server_group: { name: 'q', policies: ['affinity'] },
    });
    expect(one.status).toBe(200);
    const two = await compute('POST', '/os-server-groups', {
      server_group: { name: 'q', policies: ['affinity'] },
    });
    expect(two.status).toBe(403);
    expect(two.body.forbidden.message).toBe('Quota exceeded, too many server groups.');
    const limits = await compute('GET', '/limits');
    expect(limits.body.limits.absolute.totalServerGroupsUsed).toBe(1);
    await compute('DELETE', `/os-server-groups/${one.body.server_group.id}`);
    await compute('PUT', `/os-quota-sets/${env.projectId}`, { quota_set: { server_groups: 10 } });
  });

  it('places anti-affinity members on different hosts and refuses a third on two hosts', async () => {
    const g = await compute('POST', '/os-server-groups', {
      server_group: { name: 'spread', policies: ['anti-affinity'] },
    });
    const gid = g.body.server_group.id;
    const a = await boot('aa-1', gid);
    const b = await boot('aa-2', gid);
    expect(a.status).toBe('ACTIVE');
    expect(b.status).toBe('ACTIVE');
    expect(a['OS-EXT-SRV-ATTR:host']).not.toBe(b['OS-EXT-SRV-ATTR:host']);
    const c = await boot('aa-3', gid);
    expect(c.status).toBe('ERROR');
    expect(c.fault.message).toContain('No valid host was found');
    const shown = await compute('GET', `/os-server-groups/${gid}`);
    expect(shown.body.server_group.members).toEqual([a.id, b.id, c.id]);
    // A deleted server leaves the group.
    await compute('DELETE', `/servers/${c.id}`);
    await waitServer(compute, c.id, () => false).catch(() => undefined);
    const after = await compute('GET', `/os-server-groups/${gid}`);
    expect(after.body.server_group.members).toEqual([a.id, b.id]);
    for (const s of [a, b]) await compute('DELETE', `/servers/${s.id}`);
  });

  it('places affinity members on one host', async () => {
    const g = await compute('POST', '/os-server-groups', {
      server_group: { name: 'pack', policies: ['affinity'] },
    });
    const gid = g.body.server_group.id;
    const servers = [];
    for (let i = 0; i < 3; i++) servers.push(await boot(`af-${i}`, gid));
    expect(servers.every((s) => s.status === 'ACTIVE')).toBe(true);
    expect(new Set(servers.map((s) => s['OS-EXT-SRV-ATTR:host'])).size).toBe(1);
    for (const s of servers) await compute('DELETE', `/servers/${s.id}`);
  });

  it('rejects an unknown or malformed group hint', async () => {
    const body = (group: string) => ({
      server: { name: 'x', flavorRef: env.flavorId, imageRef: env.imageId, networks: 'none' },
      'os:scheduler_hints': { group },
    });
    const h = { 'openstack-api-version': 'compute 2.37' };
    expect((await compute('POST', '/servers', body('not-a-uuid'), h)).status).toBe(400);
    expect((await compute('POST', '/servers', body('6f0b8b8e-3a43-4f4a-9d55-0d2a8d0b6d51'), h)).status).toBe(
      400,
    );
  });
});
