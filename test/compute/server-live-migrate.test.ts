import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, computeCloud, waitServer } from './compute-cloud';

describe('compute: live migration', () => {
  let env: Awaited<ReturnType<typeof computeCloud>>;
  let compute: Caller;

  const boot = async (name: string) => {
    const r = await compute('POST', '/servers', {
      server: { name, flavorRef: env.flavorId, imageRef: env.imageId, networks: [{ uuid: env.networkId }] },
    });
    expect(r.status).toBe(202);
    return waitServer(compute, r.body.server.id, (s) => s.status === 'ACTIVE');
  };
  const act = (id: string, body: unknown, version = '2.25') =>
    compute('POST', `/servers/${id}/action`, body, { 'openstack-api-version': `compute ${version}` });
  const allocations = async (consumer: string) => {
    const r = await env.placement('GET', `/allocations/${consumer}`);
    return Object.fromEntries(
      Object.entries(r.body.allocations as Record<string, { resources: unknown }>).map(([rp, a]) => [
        rp,
        a.resources,
      ]),
    );
  };
  const idle = (status: string) => (s: any) => s.status === status && s['OS-EXT-STS:task_state'] === null;

  beforeAll(async () => {
    env = await computeCloud();
    compute = env.compute;
  });
  afterAll(async () => {
    await env?.cloud.stop();
  });

  it('moves an ACTIVE server to the named host; the claim follows and the migration completes', async () => {
    const server = await boot('lm-1');
    const source = server['OS-EXT-SRV-ATTR:host'];
    const hosts = await compute('GET', '/os-hypervisors/detail');
    const other = hosts.body.hypervisors.map((h: any) => h.service.host).find((h: string) => h !== source);
    const before = await allocations(server.id);
    const r = await act(server.id, { 'os-migrateLive': { host: other, block_migration: 'auto' } });
    expect(r.status).toBe(202);
    const moved = await waitServer(compute, server.id, idle('ACTIVE'));
    expect(moved['OS-EXT-SRV-ATTR:host']).toBe(other);
    expect(moved['OS-EXT-STS:power_state']).toBe(1);
    const migrations = await compute('GET', `/os-migrations?instance_uuid=${server.id}`, undefined, {
      'openstack-api-version': 'compute 2.59',
    });
    const [m] = migrations.body.migrations;
    expect(m).toMatchObject({
      status: 'completed',
      migration_type: 'live-migration',
      source_compute: source,
      dest_compute: other,
    });
    expect(await allocations(m.uuid)).toEqual({});
    const after = await allocations(server.id);
    expect(Object.keys(after)).not.toEqual(Object.keys(before));
    expect(Object.values(after)).toEqual(Object.values(before));
    const ports = await env.network('GET', `/v2.0/ports?device_id=${server.id}`);
    expect(ports.body.ports[0]['binding:host_id']).toBe(other);
    const actions = await compute('GET', `/servers/${server.id}/os-instance-actions`);
    expect(actions.body.instanceActions[0].action).toBe('live-migration');
    // Done: nothing left to force or abort.
    const fc = await compute(
      'POST',
      `/servers/${server.id}/migrations/${m.id}/action`,
      { force_complete: null },
      {
        'openstack-api-version': 'compute 2.24',
      },
    );
    expect(fc.status).toBe(400);
    const ab = await compute('DELETE', `/servers/${server.id}/migrations/${m.id}`, undefined, {
      'openstack-api-version': 'compute 2.24',
    });
    expect(ab.status).toBe(400);
  });

  it('lets the scheduler pick, keeps a PAUSED server paused', async () => {
    const server = await boot('lm-2');
    const source = server['OS-EXT-SRV-ATTR:host'];
    await act(server.id, { pause: null });
    await waitServer(compute, server.id, idle('PAUSED'));
    expect((await act(server.id, { 'os-migrateLive': { host: null, block_migration: false } })).status).toBe(
      202,
    );
    const moved = await waitServer(
      compute,
      server.id,
      (s) => idle('PAUSED')(s) && s['OS-EXT-SRV-ATTR:host'] !== source,
    );
    expect(moved['OS-EXT-STS:power_state']).toBe(3);
  });

  it('answers 400 for an unknown or the same host and bad bodies, 409 for a suspended server', async () => {
    const server = await boot('lm-3');
    const host = server['OS-EXT-SRV-ATTR:host'];
    expect(
      (await act(server.id, { 'os-migrateLive': { host: 'nowhere', block_migration: 'auto' } })).status,
    ).toBe(400);
    expect((await act(server.id, { 'os-migrateLive': { host, block_migration: 'auto' } })).status).toBe(400);
    expect((await act(server.id, { 'os-migrateLive': { host: null } })).status).toBe(400);
    const old = await act(server.id, { 'os-migrateLive': { host: null, block_migration: 'auto' } }, '2.24');
    expect(old.status).toBe(400);
    const forced = await act(
      server.id,
      { 'os-migrateLive': { host: null, block_migration: false, force: true } },
      '2.68',
    );
    expect(forced.status).toBe(400);
    await waitServer(compute, server.id, idle('ACTIVE'));
    await act(server.id, { suspend: null });
    await waitServer(compute, server.id, idle('SUSPENDED'));
    expect((await act(server.id, { 'os-migrateLive': { host: null, block_migration: 'auto' } })).status).toBe(
      409,
    );
  });
});
