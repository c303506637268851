import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, computeCloud, waitServer } from './compute-cloud';

describe('compute: booting a server end to end', () => {
  let env: Awaited<ReturnType<typeof computeCloud>>;
  let compute: Caller;

  beforeAll(async () => {
    env = await computeCloud();
    compute = env.compute;
  });
  afterAll(async () => {
    await env?.cloud.stop();
  });

  it('answers version documents and negotiates microversions', async () => {
    const root = await compute('GET', '');
    expect(root.body.version).toMatchObject({ id: 'v2.1', version: '2.93', min_version: '2.1' });
    const latest = await compute('GET', '/flavors', undefined, { 'openstack-api-version': 'compute latest' });
    expect(latest.headers.get('openstack-api-version')).toBe('compute 2.93');
    expect(latest.headers.get('x-openstack-nova-api-version')).toBe('2.93');
    expect(latest.headers.get('x-compute-request-id')).toMatch(/^req-/);
    const legacy = await compute('GET', '/flavors', undefined, { 'x-openstack-nova-api-version': '2.40' });
    expect(legacy.headers.get('openstack-api-version')).toBe('compute 2.40');
    const tooNew = await compute('GET', '/flavors', undefined, { 'openstack-api-version': 'compute 2.94' });
    expect(tooNew.status).toBe(406);
    expect(tooNew.body.notAcceptable.message).toContain('Version 2.94 is not supported by the API');
    const bad = await compute('GET', '/flavors', undefined, { 'openstack-api-version': 'compute 2.x' });
    expect(bad.status).toBe(400);
  });

  it('boots a server to ACTIVE: scheduled, ports bound, resources claimed in placement', async () => {
    const created = await compute('POST', '/servers', {
      server: {
        name: 'vm-1',
        flavorRef: env.flavorId,
        imageRef: env.imageId,
        networks: [{ uuid: env.networkId }],
      },
    });
    expect(created.status).toBe(202);
    expect(created.body.server.adminPass).toEqual(expect.any(String));
    const id = created.body.server.id;
    const server = await waitServer(compute, id, (s) => s.status === 'ACTIVE');
    expect(server).toMatchObject({
      name: 'vm-1',
      'OS-EXT-STS:vm_state': 'active',
      'OS-EXT-STS:power_state': 1,
      'OS-EXT-STS:task_state': null,
      'OS-EXT-AZ:availability_zone': 'nova',
      flavor: { id: '1' },
      image: { id: env.imageId },
    });
    const host = server['OS-EXT-SRV-ATTR:host'];
    expect(host).toEqual(expect.any(String));
    expect(server.addresses.private[0]).toMatchObject({ version: 4, 'OS-EXT-IPS:type': 'fixed' });
    expect(server.addresses.private[0].addr).toMatch(/^10\.0\.0\./);
    const ports = await env.network('GET', `/v2.0/ports?device_id=${id}`);
    expect(ports.body.ports).toHaveLength(1);
    expect(ports.body.ports[0]).toMatchObject({
      device_owner: 'compute:nova',
      'binding:host_id': host,
      project_id: env.projectId,
    });
    const alloc = await env.placement('GET', `/allocations/${id}`, undefined, {
      'openstack-api-version': 'placement 1.28',
    });
    const resources = Object.values(
      alloc.body.allocations as Record<string, { resources: Record<string, number> }>,
    )[0]!.resources;
    expect(resources).toEqual({ VCPU: 1, MEMORY_MB: 512, DISK_GB: 1 });
    // 2.47 embeds the flavor; 2.73 shows the lock reason.
    const newer = await compute('GET', `/servers/${id}`, undefined, {
      'openstack-api-version': 'compute 2.93',
    });
    expect(newer.body.server.flavor).toMatchObject({ vcpus: 1, ram: 512, disk: 1, original_name: 'm1.tiny' });
    expect(newer.body.server).toMatchObject({
      locked: false,
      locked_reason: null,
      tags: [],
      description: null,
    });

    const listed = await compute('GET', '/servers');
    expect(listed.body.servers.map((s: { id: string }) => s.id)).toContain(id);
    const detail = await compute('GET', '/servers/detail?status=ACTIVE&name=^vm-');
    expect(detail.body.servers.map((s: { id: string }) => s.id)).toContain(id);
    const none = await compute('GET', '/servers/detail?status=SHUTOFF');
    expect(none.body.servers.map((s: { id: string }) => s.id)).not.toContain(id);
    const ips = await compute('GET', `/servers/${id}/ips`);
    expect(ips.body.addresses.private[0].addr).toBe(server.addresses.private[0].addr);

    // Power actions follow the state machine; the fake driver reports honest power states.
    expect((await compute('POST', `/servers/${id}/action`, { 'os-stop': null })).status).toBe(202);
    const stopped = await waitServer(compute, id, (s) => s.status === 'SHUTOFF');
    expect(stopped['OS-EXT-STS:power_state']).toBe(4);
    const again = await compute('POST', `/servers/${id}/action`, { 'os-stop': null });
    expect(again.status).toBe(409);
    expect(again.body.conflictingRequest.message).toBe(
      `Cannot 'stop' instance ${id} while it is in vm_state stopped`,
    );
    expect((await compute('POST', `/servers/${id}/action`, { 'os-start': null })).status).toBe(202);
    await waitServer(compute, id, (s) => s.status === 'ACTIVE');
    expect((await compute('POST', `/servers/${id}/action`, { reboot: { type: 'HARD' } })).status).toBe(202);
    await waitServer(compute, id, (s) => s.status === 'ACTIVE' && s['OS-EXT-STS:task_state'] === null);
    expect((await compute('POST', `/servers/${id}/action`, { pause: null })).status).toBe(202);
    await waitServer(compute, id, (s) => s.status === 'PAUSED');
    expect((await compute('POST', `/servers/${id}/action`, { unpause: null })).status).toBe(202);
    await waitServer(compute, id, (s) => s.status === 'ACTIVE');
    const console = await compute('POST', `/servers/${id}/action`, { 'os-getConsoleOutput': { length: 50 } });
    expect(console.body.output).toMatch(/login:/);

    const actions = await compute('GET', `/servers/${id}/os-instance-actions`);
    expect(actions.body.instanceActions.map((a: { action: string }) => a.action)).toEqual([
      'unpause',
      'pause',
      'reboot',
      'start',
      'stop',
      'create',
    ]);

    expect((await compute('DELETE', `/servers/${id}`)).status).toBe(204);
    await waitServer(compute, id, () => false).catch(() => undefined);
    expect((await compute('GET', `/servers/${id}`)).status).toBe(404);
    expect((await env.network('GET', `/v2.0/ports?device_id=${id}`)).body.ports).toHaveLength(0);
    const freed = await env.placement('GET', `/allocations/${id}`, undefined, {
      'openstack-api-version': 'placement 1.28',
    });
    expect(freed.body.allocations).toEqual({});
  });

  it('lets exactly one of two racing actions win', async () => {
    const created = await compute('POST', '/servers', {
      server: {
        name: 'race',
        flavorRef: env.flavorId,
        imageRef: env.imageId,
        networks: [{ uuid: env.networkId }],
      },
    });
    const id = created.body.server.id;
    await waitServer(compute, id, (s) => s.status === 'ACTIVE');
    const answers = await Promise.all([
      compute('POST', `/servers/${id}/action`, { 'os-stop': null }),
      compute('POST', `/servers/${id}/action`, { pause: null }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    await waitServer(compute, id, (s) => s['OS-EXT-STS:task_state'] === null);
    expect((await compute('DELETE', `/servers/${id}`)).status).toBe(204);
  });

  it('refuses bad requests as upstream', async () => {
    const base = {
      name: 'bad',
      flavorRef: env.flavorId,
      imageRef: env.imageId,
      networks: [{ uuid: env.networkId }],
    };
    const noFlavor = await compute('POST', '/servers', { server: { ...base, flavorRef: '999' } });
    expect(noFlavor.status).toBe(400);
    expect(noFlavor.body.badRequest.message).toBe('Flavor 999 could not be found.');
    const noImage = await compute('POST', '/servers', {
      server: { ...base, imageRef: '4a2f8f2a-0000-4000-8000-000000000000' },
    });
    expect(noImage.status).toBe(400);
    expect(noImage.body.badRequest.message).toBe(
      'Image 4a2f8f2a-0000-4000-8000-000000000000 could not be found.',
    );
    const noNet = await compute('POST', '/servers', {
      server: { ...base, networks: [{ uuid: '4a2f8f2a-0000-4000-8000-000000000001' }] },
    });
    expect(noNet.status).toBe(400);
    expect(noNet.body.badRequest.message).toBe(
      'Network 4a2f8f2a-0000-4000-8000-000000000001 could not be found.',
    );
    const noKey = await compute('POST', '/servers', { server: { ...base, key_name: 'nope' } });
    expect(noKey.status).toBe(400);
    expect(noKey.body.badRequest.message).toBe('Invalid key_name provided.');
    const unknown = await compute('POST', '/servers', { server: { ...base, bogus: 1 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.badRequest.message).toContain('bogus');
    const noNetworks = await compute(
      'POST',
      '/servers',
      { server: { name: 'x', flavorRef: env.flavorId, imageRef: env.imageId } },
      { 'openstack-api-version': 'compute 2.37' },
    );
    expect(noNetworks.status).toBe(400);
    const missing = await compute('GET', '/servers/4a2f8f2a-0000-4000-8000-000000000002');
    expect(missing.status).toBe(404);
    expect(missing.body.itemNotFound.message).toBe(
      'Instance 4a2f8f2a-0000-4000-8000-000000000002 could not be found.',
    );
    const notYet = await compute('POST', '/servers/4a2f8f2a-0000-4000-8000-000000000002/action', {
      resize: { flavorRef: '1' },
    });
    expect(notYet.status).toBe(404);
  });

  it("counts quotas and refuses past them with upstream's 403", async () => {
    expect(
      (await compute('PUT', `/os-quota-sets/${env.projectId}`, { quota_set: { instances: 0 } })).status,
    ).toBe(200);
    const over = await compute('POST', '/servers', {
      server: {
        name: 'q',
        flavorRef: env.flavorId,
        imageRef: env.imageId,
        networks: [{ uuid: env.networkId }],
      },
    });
    expect(over.status).toBe(403);
    expect(over.body.forbidden.message).toMatch(
      /^Quota exceeded for instances: Requested 1, but already used \d+ of 0 instances$/,
    );
    expect((await compute('DELETE', `/os-quota-sets/${env.projectId}`)).status).toBe(202);
    const detail = await compute('GET', `/os-quota-sets/${env.projectId}/detail`);
    expect(detail.body.quota_set.instances).toMatchObject({ limit: 10, reserved: 0 });
  });

  it('ends an unschedulable server in ERROR with "No valid host was found."', async () => {
    const big = await compute('POST', '/flavors', {
      flavor: { name: 'huge', ram: 10_000_000, vcpus: 1, disk: 1, id: 'huge' },
    });
    expect(big.status).toBe(200);
    await compute('PUT', `/os-quota-sets/${env.projectId}`, { quota_set: { ram: -1 } });
    const created = await compute('POST', '/servers', {
      server: {
        name: 'nohost',
        flavorRef: 'huge',
        imageRef: env.imageId,
        networks: [{ uuid: env.networkId }],
      },
    });
    expect(created.body).toMatchObject({ server: { id: expect.any(String) } });
    const server = await waitServer(compute, created.body.server.id, (s) => s.status === 'ERROR');
    expect(server.fault).toMatchObject({
      code: 500,
      message: expect.stringMatching(/^No valid host was found\./),
    });
    expect((await compute('DELETE', `/servers/${server.id}`)).status).toBe(204);
    expect((await compute('GET', `/servers/${server.id}`)).status).toBe(404);
  });

  it('lists hosts: services, hypervisors and availability zones', async () => {
    const services = await compute('GET', '/os-services');
    const binaries = services.body.services.map((s: { binary: string }) => s.binary);
    expect(binaries).toEqual(expect.arrayContaining(['nova-conductor', 'nova-scheduler', 'nova-compute']));
    expect(
      services.body.services.filter((s: { binary: string }) => s.binary === 'nova-compute'),
    ).toHaveLength(2);
    const hv = await compute('GET', '/os-hypervisors/detail');
    expect(hv.body.hypervisors).toHaveLength(2);
    expect(hv.body.hypervisors[0]).toMatchObject({
      state: 'up',
      status: 'enabled',
      hypervisor_type: 'fake',
      vcpus: 32,
    });
    const az = await compute('GET', '/os-availability-zone');
    expect(az.body.availabilityZoneInfo).toEqual([
      { zoneName: 'nova', zoneState: { available: true }, hosts: null },
    ]);
    const rps = await env.placement('GET', '/resource_providers');
    expect(rps.body.resource_providers).toHaveLength(2);
  });

  it('places a server in the availability zone of a host aggregate', async () => {
    const hosts = (await compute('GET', '/os-services?binary=nova-compute')).body.services.map(
      (s: { host: string }) => s.host,
    );
    const agg = await compute('POST', '/os-aggregates', {
      aggregate: { name: 'agg-b', availability_zone: 'zone-b' },
    });
    expect(agg.status).toBe(200);
    const id = agg.body.aggregate.id;
    const dup = await compute('POST', '/os-aggregates', { aggregate: { name: 'agg-b' } });
    expect(dup.status).toBe(409);
    const added = await compute('POST', `/os-aggregates/${id}/action`, { add_host: { host: hosts[1] } });
    expect(added.body.aggregate).toMatchObject({
      hosts: [hosts[1]],
      availability_zone: 'zone-b',
      metadata: { availability_zone: 'zone-b' },
    });
    const nohost = await compute('POST', `/os-aggregates/${id}/action`, { add_host: { host: 'nowhere' } });
    expect(nohost.status).toBe(404);
    const zones = await compute('GET', '/os-availability-zone');
    expect(zones.body.availabilityZoneInfo.map((z: { zoneName: string }) => z.zoneName).sort()).toEqual([
      'nova',
      'zone-b',
    ]);
    const created = await compute('POST', '/servers', {
      server: {
        name: 'in-b',
        flavorRef: env.flavorId,
        imageRef: env.imageId,
        networks: [{ uuid: env.networkId }],
        availability_zone: 'zone-b',
      },
    });
    const server = await waitServer(compute, created.body.server.id, (s) => s.status === 'ACTIVE');
    expect(server).toMatchObject({
      'OS-EXT-SRV-ATTR:host': hosts[1],
      'OS-EXT-AZ:availability_zone': 'zone-b',
    });
    expect((await compute('DELETE', `/servers/${server.id}`)).status).toBe(204);
    await compute('POST', `/os-aggregates/${id}/action`, { remove_host: { host: hosts[1] } });
    expect((await compute('DELETE', `/os-aggregates/${id}`)).status).toBe(200);
  });
});
