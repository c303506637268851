import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// The `dvr` and `l3-ha` router flags: admin-only to set and to see, changed only while the
// router is administratively down.
describe('network API: router distributed and ha flags', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;
  let memberProject: string;

  beforeAll(async () => {
    ({ cloud, admin, member, memberProject } = await networkCloud());
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('sets, shows and migrates the flags for admins', async () => {
    const dvr = await admin('POST', '/v2.0/routers', { router: { name: 'd', distributed: true } });
    expect(dvr.status).toBe(201);
    expect(dvr.body.router).toMatchObject({ distributed: true, ha: false });
    expect((await admin('GET', `/v2.0/routers/${dvr.body.router.id}`)).body.router.distributed).toBe(true);
    const cvr = (
      await admin('POST', '/v2.0/routers', {
        router: { name: 'c', distributed: false, ha: false, project_id: memberProject },
      })
    ).body.router;
    const active = await admin('PUT', `/v2.0/routers/${cvr.id}`, { router: { distributed: true } });
    expect(active.status).toBe(400);
    expect(active.body.NeutronError.message).toContain('admin_state_up to False');
    await admin('PUT', `/v2.0/routers/${cvr.id}`, { router: { admin_state_up: false } });
    const moved = await admin('PUT', `/v2.0/routers/${cvr.id}`, { router: { distributed: true } });
    expect(moved.status).toBe(200);
    expect(moved.body.router.distributed).toBe(true);
    const listed = (await admin('GET', '/v2.0/routers?name=c')).body.routers;
    expect(listed[0].distributed).toBe(true);
    const own = (await member('GET', `/v2.0/routers/${cvr.id}`)).body.router;
    expect(own.id).toBe(cvr.id);
    expect(own).not.toHaveProperty('distributed');
    expect(own).not.toHaveProperty('ha');
  });

  it('refuses the flags to project members', async () => {
    const plain = await member('POST', '/v2.0/routers', { router: { name: 'p' } });
    expect(plain.status).toBe(201);
    expect(plain.body.router).not.toHaveProperty('distributed');
    for (const flags of [{ distributed: true }, { distributed: false }, { ha: true }]) {
      const r = await member('POST', '/v2.0/routers', { router: { name: 'p', ...flags } });
      expect(r.status).toBe(403);
    }
    const upd = await member('PUT', `/v2.0/routers/${plain.body.router.id}`, { router: { ha: true } });
    expect(upd.status).toBe(403);
  });

  it('lists the extensions', async () => {
    const aliases = (await member('GET', '/v2.0/extensions')).body.extensions.map((e: any) => e.alias);
    expect(aliases).toEqual(expect.arrayContaining(['dvr', 'l3-ha', 'tag']));
  });
});
