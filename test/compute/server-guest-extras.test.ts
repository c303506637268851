import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, computeCloud, waitServer } from './compute-cloud';

describe('compute: changePassword, server password, diagnostics, crash dump, restore states', () => {
  let env: Awaited<ReturnType<typeof computeCloud>>;
  let compute: Caller;
  let id: string;

  beforeAll(async () => {
    env = await computeCloud();
    compute = env.compute;
    const r = await compute('POST', '/servers', {
      server: {
        name: 'gx',
        flavorRef: env.flavorId,
        imageRef: env.imageId,
        networks: [{ uuid: env.networkId }],
      },
    });
    id = r.body.server.id;
    await waitServer(compute, id, (s) => s.status === 'ACTIVE');
  });
  afterAll(async () => {
    await env?.cloud.stop();
  });

  it('changes the admin password through the agent and records the action', async () => {
    const bad = await compute('POST', `/servers/${id}/action`, { changePassword: { adminPass: 1 } });
    expect(bad.status).toBe(400);
    const r = await compute('POST', `/servers/${id}/action`, { changePassword: { adminPass: 'n3w' } });
    expect(r.status).toBe(202);
    await waitServer(compute, id, (s) => s.status === 'ACTIVE' && s['OS-EXT-STS:task_state'] === null);
    const actions = await compute('GET', `/servers/${id}/os-instance-actions`);
    expect(actions.body.instanceActions[0].action).toBe('changePassword');
    const log = await compute('POST', `/servers/${id}/action`, { 'os-getConsoleOutput': {} });
    expect(log.body.output).toContain('Admin password changed.');
  });

  it('shows an empty server password and clears it', async () => {
    const r = await compute('GET', `/servers/${id}/os-server-password`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ password: '' });
    expect((await compute('DELETE', `/servers/${id}/os-server-password`)).status).toBe(204);
  });

  it('answers diagnostics in the 2.48 form and the older flat one', async () => {
    const v = await compute('GET', `/servers/${id}/diagnostics`, undefined, {
      'openstack-api-version': 'compute 2.48',
    });
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ state: 'running', driver: 'libvirt', num_cpus: 1, num_nics: 1 });
    expect(v.body.memory_details).toEqual({ maximum: 512, used: 0 });
    const old = await compute('GET', `/servers/${id}/diagnostics`);
    expect(old.body).toMatchObject({ memory: 512 * 1024, cpu0_time: 0 });
  });

  it('injects an NMI at 2.17 and refuses restore/forceDelete of a live server', async () => {
    const v = { 'openstack-api-version': 'compute 2.17' };
    const r = await compute('POST', `/servers/${id}/action`, { trigger_crash_dump: null }, v);
    expect(r.status).toBe(202);
    await new Promise((res) => setTimeout(res, 50));
    const log = await compute('POST', `/servers/${id}/action`, { 'os-getConsoleOutput': {} });
    expect(log.body.output).toContain('NMI received');
    const old = await compute('POST', `/servers/${id}/action`, { trigger_crash_dump: null });
    expect(old.status).toBe(400);
    expect((await compute('POST', `/servers/${id}/action`, { restore: null })).status).toBe(409);
    expect((await compute('POST', `/servers/${id}/action`, { forceDelete: null })).status).toBe(409);
  });
});
