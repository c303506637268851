import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, computeCloud, waitServer } from './compute-cloud';

/** Rescue, createImage / createBackup and shelve: the actions that boot from or save to images. */
describe('compute: rescue, snapshots and shelve', () => {
  let env: Awaited<ReturnType<typeof computeCloud>>;
  let compute: Caller;

  const boot = async (name: string, extra: Record<string, unknown> = {}, headers = {}) => {
    const r = await compute(
      'POST',
      '/servers',
      {
        server: {
          name,
          flavorRef: env.flavorId,
          imageRef: env.imageId,
          networks: [{ uuid: env.networkId }],
          ...extra,
        },
      },
      headers,
    );
    expect(r.status).toBe(202);
    return waitServer(compute, r.body.server.id, (s) => s.status === 'ACTIVE');
  };
  const act = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    compute('POST', `/servers/${id}/action`, body, headers);
  const idle = (status: string) => (s: any) => s.status === status && s['OS-EXT-STS:task_state'] === null;
  const waitImage = async (id: string, status: string) => {
    for (let n = 0; n < 500; n++) {
      const r = await env.image('GET', `/v2/images/${id}`);
      if (r.status === 404 && status === 'deleted') return undefined;
      if (r.body?.status === status) return r.body;
      await new Promise((res) => setTimeout(res, 20));
    }
    throw new Error(`image ${id} never became ${status}`);
  };

  beforeAll(async () => {
    env = await computeCloud();
    compute = env.compute;
  });
  afterAll(async () => {
    await env?.cloud.stop();
  });

  it('rescues a server into RESCUE (409 for reboot there, or for a paused one) and back', async () => {
    const server = await boot('rescue-1');
    const r = await act(server.id, { rescue: { adminPass: 'rescue-pass' } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ adminPass: 'rescue-pass' });
    await waitServer(compute, server.id, idle('RESCUE'));
    expect((await act(server.id, { reboot: { type: 'HARD' } })).status).toBe(409);
    expect((await act(server.id, { rescue: null })).status).toBe(409);
    expect((await act(server.id, { unrescue: null })).status).toBe(202);
    const back = await waitServer(compute, server.id, idle('ACTIVE'));
    expect(back['OS-EXT-STS:power_state']).toBe(1);
    const out = await act(server.id, { 'os-getConsoleOutput': {} });
    expect(out.body.output).toContain(`Rescue: booting from image ${env.imageId}`);
    expect(out.body.output).toContain('Unrescue');
    const actions = await compute('GET', `/servers/${server.id}/os-instance-actions`);
    expect(actions.body.instanceActions.map((a: any) => a.action).slice(0, 2)).toEqual([
      'unrescue',
      'rescue',
    ]);
    expect((await act(server.id, { unrescue: null })).status).toBe(409);

    await act(server.id, { pause: null });
    await waitServer(compute, server.id, idle('PAUSED'));
    expect((await act(server.id, { rescue: null })).status).toBe(409);
    const missing = await act(server.id, {
      rescue: { rescue_image_ref: '00000000-0000-0000-0000-000000000000' },
    });
    expect(missing.status).toBe(409);
    expect((await act(server.id, { rescue: { bogus: 1 } })).status).toBe(400);
  });

  it('rescues from a named image, 400 for one that does not exist', async () => {
    const server = await boot('rescue-2');
    const missing = await act(server.id, {
      rescue: { rescue_image_ref: '00000000-0000-0000-0000-000000000000' },
    });
    expect(missing.status).toBe(400);
    const r = await act(server.id, { rescue: { rescue_image_ref: env.imageId } });
    expect(r.status).toBe(200);
    expect(typeof r.body.adminPass).toBe('string');
    await waitServer(compute, server.id, idle('RESCUE'));
  });

  it('createImage makes a snapshot image with the data and inherited properties (Location < 2.45, body at 2.45)', async () => {
    await env.image(
      'PATCH',
      `/v2/images/${env.imageId}`,
      [{ op: 'add', path: '/os_distro', value: 'cirros' }],
      {
        'content-type': 'application/openstack-images-v2.1-json-patch',
      },
    );
    const server = await boot('snap-1');
    const old = await act(server.id, { createImage: { name: 'snap-old', metadata: { k: 'v' } } });
    expect(old.status).toBe(202);
    const location = old.headers.get('location') ?? '';
    const oldId = location.split('/').pop()!;
    expect(oldId).toMatch(/^[0-9a-f-]{36}$/);
    const oldImage = await waitImage(oldId, 'active');
    expect(oldImage).toMatchObject({
      name: 'snap-old',
      k: 'v',
      os_distro: 'cirros',
      image_type: 'snapshot',
      instance_uuid: server.id,
      base_image_ref: env.imageId,
      visibility: 'private',
    });
    await waitServer(compute, server.id, idle('ACTIVE'));
    const r = await act(
      server.id,
      { createImage: { name: 'snap-new' } },
      { 'openstack-api-version': 'compute 2.45' },
    );
    expect(r.status).toBe(202);
    expect(r.headers.get('location')).toBeNull();
    await waitImage(r.body.image_id, 'active');
    const data = await fetch(`${env.cloud.url('image')}/v2/images/${r.body.image_id}/file`, {
      headers: { 'x-auth-token': env.token },
    });
    expect(await data.text()).toContain(`nimbus fake disk of snap-1 (${server.id})`);
    await waitServer(compute, server.id, idle('ACTIVE'));
    const actions = await compute('GET', `/servers/${server.id}/os-instance-actions`);
    expect(actions.body.instanceActions[0].action).toBe('createImage');
  });

  it('createImage: 400 for bad names and metadata keys, 403 over the metadata quota', async () => {
    const server = await boot('snap-2');
    expect((await act(server.id, { createImage: { name: 'a'.repeat(256) } })).status).toBe(400);
    expect((await act(server.id, { createImage: { name: 'x', metadata: { '': '' } } })).status).toBe(400);
    expect(
      (await act(server.id, { createImage: { name: 'x', metadata: { k: 'v'.repeat(256) } } })).status,
    ).toBe(400);
    expect((await act(server.id, { createImage: {} })).status).toBe(400);
    const many = Object.fromEntries(Array.from({ length: 129 }, (_, n) => [`k${n}`, 'v']));
    expect((await act(server.id, { createImage: { name: 'x', metadata: many } })).status).toBe(403);
  });

  it('createBackup keeps the newest `rotation` backups of a type', async () => {
    const server = await boot('backup-1');
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      const r = await act(
        server.id,
        { createBackup: { name: `b${n}`, backup_type: 'daily', rotation: 2 } },
        { 'openstack-api-version': 'compute 2.45' },
      );
      expect(r.status).toBe(202);
      ids.push(r.body.image_id);
      await waitServer(compute, server.id, idle('ACTIVE'));
    }
    await waitImage(ids[0]!, 'deleted');
    expect((await waitImage(ids[2]!, 'active')).backup_type).toBe('daily');
    expect((await waitImage(ids[1]!, 'active')).image_type).toBe('backup');
    const bad = await act(server.id, { createBackup: { name: 'b', backup_type: 'daily', rotation: -1 } });
    expect(bad.status).toBe(400);
    const missing = await act(server.id, { createBackup: { name: 'b', rotation: 1 } });
    expect(missing.status).toBe(400);
  });

  it('shelves to SHELVED_OFFLOADED (no host, no allocations) and unshelves to ACTIVE', async () => {
    const server = await boot('shelve-1');
    expect((await act(server.id, { shelve: null })).status).toBe(202);
    const admin = { 'openstack-api-version': 'compute 2.91' };
    const shelved = await waitServer(compute, server.id, idle('SHELVED_OFFLOADED'), admin);
    expect(shelved['OS-EXT-SRV-ATTR:host']).toBeNull();
    expect(shelved['OS-EXT-STS:power_state']).toBe(4);
    const alloc = await env.placement('GET', `/allocations/${server.id}`);
    expect(alloc.body.allocations).toEqual({});
    const images = await env.image('GET', '/v2/images?name=shelve-1-shelved');
    expect(images.body.images).toHaveLength(1);
    const shelvedImage = images.body.images[0].id;
    expect((await act(server.id, { shelve: null })).status).toBe(409);
    expect((await act(server.id, { unshelve: { availability_zone: 'nowhere' } }, admin)).status).toBe(400);
    expect((await act(server.id, { unshelve: { host: 'no-such-host' } }, admin)).status).toBe(400);
    expect((await act(server.id, { unshelve: {} }, admin)).status).toBe(400);
    expect((await act(server.id, { unshelve: { availability_zone: 'nova', bogus: 1 } }, admin)).status).toBe(
      400,
    );
    expect((await act(server.id, { unshelve: { availability_zone: 'nova' } }, admin)).status).toBe(202);
    const back = await waitServer(compute, server.id, idle('ACTIVE'), admin);
    expect(back['OS-EXT-SRV-ATTR:host']).toBeTruthy();
    const again = await env.placement('GET', `/allocations/${server.id}`);
    expect(Object.keys(again.body.allocations)).toHaveLength(1);
    await waitImage(shelvedImage, 'deleted');
    const actions = await compute('GET', `/servers/${server.id}/os-instance-actions`);
    expect(actions.body.instanceActions.map((a: any) => a.action).slice(0, 2)).toEqual([
      'unshelve',
      'shelve',
    ]);
    expect((await act(server.id, { unshelve: null })).status).toBe(409);
    expect((await act(server.id, { shelveOffload: null })).status).toBe(409);
  });

  it('deleting a SHELVED_OFFLOADED server frees its ports and its shelved image', async () => {
    const server = await boot('shelve-2');
    await act(server.id, { shelve: {} });
    await waitServer(compute, server.id, idle('SHELVED_OFFLOADED'));
    const image = (await env.image('GET', '/v2/images?name=shelve-2-shelved')).body.images[0].id;
    const ports = await env.network('GET', `/v2.0/ports?device_id=${server.id}`);
    expect(ports.body.ports).toHaveLength(1);
    expect(ports.body.ports[0]['binding:host_id']).toBe('');
    expect((await compute('DELETE', `/servers/${server.id}`)).status).toBe(204);
    expect(await waitServer(compute, server.id, () => false)).toBeUndefined();
    expect((await env.network('GET', `/v2.0/ports?device_id=${server.id}`)).body.ports).toEqual([]);
    await waitImage(image, 'deleted');
  });

  it('keeps OS-DCF:diskConfig through create, update, rebuild and shows 2.71 server_groups', async () => {
    const group = await compute('POST', '/os-server-groups', {
      server_group: { name: 'g', policies: ['affinity'] },
    });
    const r = await compute('POST', '/servers', {
      server: {
        name: 'dcf-1',
        flavorRef: env.flavorId,
        imageRef: env.imageId,
        networks: [{ uuid: env.networkId }],
        'OS-DCF:diskConfig': 'AUTO',
      },
      'os:scheduler_hints': { group: group.body.server_group.id },
    });
    expect(r.body.server['OS-DCF:diskConfig']).toBe('AUTO');
    const server = await waitServer(compute, r.body.server.id, idle('ACTIVE'));
    expect(server['OS-DCF:diskConfig']).toBe('AUTO');
    const u = await compute('PUT', `/servers/${server.id}`, { server: { 'OS-DCF:diskConfig': 'MANUAL' } });
    expect(u.body.server['OS-DCF:diskConfig']).toBe('MANUAL');
    const rb = await act(server.id, { rebuild: { imageRef: env.imageId, 'OS-DCF:diskConfig': 'AUTO' } });
    expect(rb.body.server['OS-DCF:diskConfig']).toBe('AUTO');
    await waitServer(compute, server.id, idle('ACTIVE'));
    const v271 = { 'openstack-api-version': 'compute 2.71' };
    const shown = await compute('GET', `/servers/${server.id}`, undefined, v271);
    expect(shown.body.server.server_groups).toEqual([group.body.server_group.id]);
    const v275 = { 'openstack-api-version': 'compute 2.75' };
    const updated = await compute('PUT', `/servers/${server.id}`, { server: { name: 'dcf-1b' } }, v275);
    expect(updated.body.server.server_groups).toEqual([group.body.server_group.id]);
    expect(updated.body.server['OS-EXT-STS:vm_state']).toBe('active');
    const old = await compute('GET', `/servers/${server.id}`, undefined, {
      'openstack-api-version': 'compute 2.70',
    });
    expect(old.body.server.server_groups).toBeUndefined();
  });
});
