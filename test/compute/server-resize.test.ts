import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, computeCloud, waitServer } from './compute-cloud';

const P = { 'openstack-api-version': 'placement 1.28' };

describe('compute: resize, cold migration, confirm and revert', () => {
  let env: Awaited<ReturnType<typeof computeCloud>>;
  let compute: Caller;

  const boot = async (name: string) => {
    const r = await compute('POST', '/servers', {
      server: { name, flavorRef: env.flavorId, imageRef: env.imageId, networks: [{ uuid: env.networkId }] },
    });
    expect(r.status).toBe(202);
    return waitServer(compute, r.body.server.id, (s) => s.status === 'ACTIVE');
  };
  const allocations = async (consumer: string) => {
    const a = await env.placement('GET', `/allocations/${consumer}`, undefined, P);
    const all = a.body.allocations as Record<string, { resources: Record<string, number> }>;
    return Object.fromEntries(Object.entries(all).map(([rp, v]) => [rp, v.resources]));
  };
  const migrations = async (id: string, version = '2.59') =>
    (
      await compute('GET', `/os-migrations?instance_uuid=${id}`, undefined, {
        'openstack-api-version': `compute ${version}`,
      })
    ).body.migrations as any[];

  beforeAll(async () => {
    env = await computeCloud();
    compute = env.compute;
    const f = await compute('POST', '/flavors', {
      flavor: { name: 'm1.small', ram: 1024, vcpus: 2, disk: 2, id: '2' },
    });
    expect(f.status).toBe(200);
  });
  afterAll(async () => {
    await env?.cloud.stop();
  });

  it('resizes to VERIFY_RESIZE on another host; the migration holds the source claim; confirm frees it', async () => {
    const server = await boot('rs-1');
    const source = server['OS-EXT-SRV-ATTR:host'];
    const before = await allocations(server.id);
    const r = await compute('POST', `/servers/${server.id}/action`, { resize: { flavorRef: '2' } });
    expect(r.status).toBe(202);
    const resized = await waitServer(compute, server.id, (s) => s.status === 'VERIFY_RESIZE');
    expect(resized['OS-EXT-SRV-ATTR:host']).not.toBe(source);
    expect(resized.flavor.id).toBe('2');
    expect(resized['OS-EXT-STS:power_state']).toBe(1);
    const [m] = await migrations(server.id);
    expect(m).toMatchObject({
      status: 'finished',
      migration_type: 'resize',
      source_compute: source,
      dest_compute: resized['OS-EXT-SRV-ATTR:host'],
      old_instance_type_id: 1,
      new_instance_type_id: 2,
    });
    // The instance holds the new flavor on the destination; the migration the old one on the source.
    expect(Object.values(await allocations(server.id))[0]).toEqual({
      VCPU: 2,
      MEMORY_MB: 1024,
      DISK_GB: 2,
    });
    expect(await allocations(m.uuid)).toEqual(before);
    const ports = await env.network('GET', `/v2.0/ports?device_id=${server.id}`);
    expect(ports.body.ports[0]['binding:host_id']).toBe(resized['OS-EXT-SRV-ATTR:host']);

    const c = await compute('POST', `/servers/${server.id}/action`, { confirmResize: null });
    expect(c.status).toBe(204);
    const done = await waitServer(compute, server.id, (s) => s.status === 'ACTIVE');
    expect(done.flavor.id).toBe('2');
    expect(await allocations(m.uuid)).toEqual({});
    expect((await migrations(server.id))[0].status).toBe('confirmed');
    const actions = await compute('GET', `/servers/${server.id}/os-instance-actions`);
    expect(actions.body.instanceActions.map((a: any) => a.action).slice(0, 2)).toEqual([
      'confirmResize',
      'resize',
    ]);
    // A second confirm finds nothing to confirm.
    const again = await compute('POST', `/servers/${server.id}/action`, { confirmResize: null });
    expect(again.status).toBe(409);
  });

  it('reverts a resize of a stopped server: old flavor, source host and claim, still SHUTOFF', async () => {
    const server = await boot('rs-2');
    const source = server['OS-EXT-SRV-ATTR:host'];
    const before = await allocations(server.id);
    await compute('POST', `/servers/${server.id}/action`, { 'os-stop': null });
    await waitServer(compute, server.id, (s) => s.status === 'SHUTOFF');
    await compute('POST', `/servers/${server.id}/action`, { resize: { flavorRef: '2' } });
    const resized = await waitServer(compute, server.id, (s) => s.status === 'VERIFY_RESIZE');
    expect(resized['OS-EXT-STS:power_state']).toBe(4);
    const r = await compute('POST', `/servers/${server.id}/action`, { revertResize: null });
    expect(r.status).toBe(202);
    const back = await waitServer(
      compute,
      server.id,
      (s) => s.status === 'SHUTOFF' && s['OS-EXT-STS:task_state'] === null,
    );
    expect(back['OS-EXT-SRV-ATTR:host']).toBe(source);
    expect(back.flavor.id).toBe(env.flavorId);
    expect(await allocations(server.id)).toEqual(before);
    const [m] = await migrations(server.id);
    expect(m.status).toBe('reverted');
    expect(await allocations(m.uuid)).toEqual({});
  });

  it('deleting a server in VERIFY_RESIZE frees both claims and confirms the migration', async () => {
    const server = await boot('rs-4');
    await compute('POST', `/servers/${server.id}/action`, { resize: { flavorRef: '2' } });
    await waitServer(compute, server.id, (s) => s.status === 'VERIFY_RESIZE');
    const [m] = await migrations(server.id);
    expect(await allocations(m.uuid)).not.toEqual({});
    expect((await compute('DELETE', `/servers/${server.id}`)).status).toBe(204);
    await waitServer(compute, server.id, () => false).catch(() => undefined);
    for (let n = 0; n < 100 && (await migrations(server.id))[0].status !== 'confirmed'; n++)
      await new Promise((res) => setTimeout(res, 20));
    expect((await migrations(server.id))[0].status).toBe('confirmed');
    expect(await allocations(m.uuid)).toEqual({});
    expect(await allocations(server.id)).toEqual({});
  });

  it('cold-migrates to the named host (2.56) and refuses bad input', async () => {
    const server = await boot('rs-3');
    const source = server['OS-EXT-SRV-ATTR:host'];
    const hv = await compute('GET', '/os-hypervisors/detail');
    const other = hv.body.hypervisors.map((h: any) => h.service.host).find((h: string) => h !== source);
    const v = { 'openstack-api-version': 'compute 2.56' };
    const same = await compute('POST', `/servers/${server.id}/action`, { migrate: { host: source } }, v);
    expect(same.status).toBe(400);
    const unknown = await compute(
      'POST',
      `/servers/${server.id}/action`,
      { migrate: { host: 'nowhere' } },
      v,
    );
    expect(unknown.status).toBe(400);
    const r = await compute('POST', `/servers/${server.id}/action`, { migrate: { host: other } }, v);
    expect(r.status).toBe(202);
    const moved = await waitServer(compute, server.id, (s) => s.status === 'VERIFY_RESIZE');
    expect(moved['OS-EXT-SRV-ATTR:host']).toBe(other);
    expect((await migrations(server.id))[0]).toMatchObject({
      migration_type: 'migration',
      status: 'finished',
    });
    const busy = await compute('POST', `/servers/${server.id}/action`, { resize: { flavorRef: '2' } });
    expect(busy.status).toBe(409);
    await compute('POST', `/servers/${server.id}/action`, { confirmResize: null });
    await waitServer(compute, server.id, (s) => s.status === 'ACTIVE');
    const same2 = await compute('POST', `/servers/${server.id}/action`, {
      resize: { flavorRef: env.flavorId },
    });
    expect(same2.status).toBe(400);
    const none = await compute('POST', `/servers/${server.id}/action`, { resize: { flavorRef: 'nope' } });
    expect(none.status).toBe(400);
    const nul = await compute('POST', `/servers/${server.id}/action`, { resize: { flavorRef: null } });
    expect(nul.status).toBe(400);
    const notResized = await compute('POST', `/servers/${server.id}/action`, { revertResize: null });
    expect(notResized.status).toBe(409);
    // The migration list's shape per microversion.
    const old = (await migrations(server.id, '2.1'))[0];
    expect(old.migration_type).toBeUndefined();
    expect(old.uuid).toBeUndefined();
    expect(Object.keys(old).sort()).toEqual(
      [
        'created_at',
        'dest_compute',
        'dest_host',
        'dest_node',
        'id',
        'instance_uuid',
        'new_instance_type_id',
        'old_instance_type_id',
        'source_compute',
        'source_node',
        'status',
        'updated_at',
      ].sort(),
    );
  });
});
