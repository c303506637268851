import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitServer } from './compute-cloud';
import { availableVolume, volumeCloud, waitVolume } from './volume-cloud';

const at = (v: string) => ({ 'openstack-api-version': `compute ${v}` });

describe('os-volume_attachments through block storage attachments', () => {
  let env: Awaited<ReturnType<typeof volumeCloud>>;
  let serverId: string;

  beforeAll(async () => {
    env = await volumeCloud();
    const r = await env.compute('POST', '/servers', {
      server: {
        name: 'vm',
        flavorRef: env.flavorId,
        imageRef: env.imageId,
        networks: [{ uuid: env.networkId }],
      },
    });
    expect(r.status).toBe(202);
    serverId = r.body.server.id;
    await waitServer(env.compute, serverId, (s) => s.status === 'ACTIVE');
  }, 60_000);
  afterAll(async () => {
    await env?.cloud.stop();
  });

  it('attaches a volume (in-use, device vdb), lists, shows it in the server, refuses it twice, detaches it', async () => {
    const { compute, volume } = env;
    const vol = await availableVolume(volume);
    const a = await compute(
      'POST',
      `/servers/${serverId}/os-volume_attachments`,
      { volumeAttachment: { volumeId: vol, tag: 'data', delete_on_termination: true } },
      at('2.79'),
    );
    expect(a.status).toBe(200);
    expect(a.body.volumeAttachment).toEqual({
      id: vol,
      serverId,
      volumeId: vol,
      device: '/dev/vdb',
      tag: 'data',
      delete_on_termination: true,
    });
    const v = (await volume('GET', `/volumes/${vol}`)).body.volume;
    expect(v.status).toBe('in-use');
    expect(v.attachments).toEqual([expect.objectContaining({ server_id: serverId, device: '/dev/vdb' })]);

    const list = await compute('GET', `/servers/${serverId}/os-volume_attachments`, undefined, at('2.89'));
    expect(list.body.volumeAttachments).toEqual([
      expect.objectContaining({
        volumeId: vol,
        device: '/dev/vdb',
        attachment_id: v.attachments[0].attachment_id,
      }),
    ]);
    expect(list.body.volumeAttachments[0].id).toBeUndefined();
    const show = await compute('GET', `/servers/${serverId}/os-volume_attachments/${vol}`);
    expect(show.body.volumeAttachment).toEqual({ id: vol, serverId, volumeId: vol, device: '/dev/vdb' });
    const server = await compute('GET', `/servers/${serverId}`, undefined, at('2.3'));
    expect(server.body.server['os-extended-volumes:volumes_attached']).toEqual([
      { id: vol, delete_on_termination: true },
    ]);
    const old = await compute('GET', `/servers/${serverId}`);
    expect(old.body.server['os-extended-volumes:volumes_attached']).toEqual([{ id: vol }]);

    const log = await compute('POST', `/servers/${serverId}/action`, { 'os-getConsoleOutput': {} });
    expect(log.body.output).toContain(`Volume ${vol} attached at /dev/vdb.`);

    const again = await compute('POST', `/servers/${serverId}/os-volume_attachments`, {
      volumeAttachment: { volumeId: vol },
    });
    expect(again.status).toBe(400);
    const tagTooEarly = await compute(
      'POST',
      `/servers/${serverId}/os-volume_attachments`,
      { volumeAttachment: { volumeId: vol, tag: 'x' } },
      at('2.48'),
    );
    expect(tagTooEarly.status).toBe(400);

    const d = await compute('DELETE', `/servers/${serverId}/os-volume_attachments/${vol}`);
    expect(d.status).toBe(202);
    await waitVolume(volume, vol, (x) => x.status === 'available');
    expect(
      (await compute('GET', `/servers/${serverId}/os-volume_attachments`)).body.volumeAttachments,
    ).toEqual([]);
    const gone = await compute('DELETE', `/servers/${serverId}/os-volume_attachments/${vol}`);
    expect(gone.status).toBe(404);
    const actions = (await compute('GET', `/servers/${serverId}/os-instance-actions`)).body.instanceActions;
    expect(actions.map((x: any) => x.action)).toEqual(
      expect.arrayContaining(['attach_volume', 'detach_volume']),
    );
  });

  it('answers 404 for an unknown volume and 409 for a server in the wrong state', async () => {
    const { compute, volume } = env;
    const missing = await compute('POST', `/servers/${serverId}/os-volume_attachments`, {
      volumeAttachment: { volumeId: '6f7e5b0a-3c1e-4b8e-9a77-000000000000' },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.itemNotFound.message).toMatch(/Volume .* could not be found/);
    const bad = await compute('POST', `/servers/${serverId}/os-volume_attachments`, {
      volumeAttachment: { volumeId: 'not-a-uuid' },
    });
    expect(bad.status).toBe(400);
    const vol = await availableVolume(volume);
    expect(
      (await compute('POST', `/servers/${serverId}/action`, { 'os-resetState': { state: 'error' } })).status,
    ).toBe(202);
    const wrong = await compute('POST', `/servers/${serverId}/os-volume_attachments`, {
      volumeAttachment: { volumeId: vol },
    });
    expect(wrong.status).toBe(409);
    expect(wrong.body.conflictingRequest.message).toBe(
      `Cannot 'attach_volume' instance ${serverId} while it is in vm_state error`,
    );
    await compute('POST', `/servers/${serverId}/action`, { 'os-resetState': { state: 'active' } });
  });

  it('swaps to another volume (admin), updates delete_on_termination at 2.85, and tells the guest a volume grew', async () => {
    const { compute, volume } = env;
    const first = await availableVolume(volume);
    const second = await availableVolume(volume);
    await compute('POST', `/servers/${serverId}/os-volume_attachments`, {
      volumeAttachment: { volumeId: first },
    });
    const swap = await compute('PUT', `/servers/${serverId}/os-volume_attachments/${first}`, {
      volumeAttachment: { volumeId: second },
    });
    expect(swap.status).toBe(202);
    await waitVolume(volume, first, (x) => x.status === 'available');
    expect((await volume('GET', `/volumes/${second}`)).body.volume.status).toBe('in-use');
    const list = await compute('GET', `/servers/${serverId}/os-volume_attachments`, undefined, at('2.79'));
    expect(list.body.volumeAttachments).toEqual([
      expect.objectContaining({ volumeId: second, device: '/dev/vdb', delete_on_termination: false }),
    ]);
    const early = await compute(
      'PUT',
      `/servers/${serverId}/os-volume_attachments/${second}`,
      { volumeAttachment: { volumeId: second, delete_on_termination: true } },
      at('2.84'),
    );
    expect(early.status).toBe(400);
    const upd = await compute(
      'PUT',
      `/servers/${serverId}/os-volume_attachments/${second}`,
      { volumeAttachment: { volumeId: second, delete_on_termination: true } },
      at('2.85'),
    );
    expect(upd.status).toBe(202);
    const now = await compute(
      'GET',
      `/servers/${serverId}/os-volume_attachments/${second}`,
      undefined,
      at('2.85'),
    );
    expect(now.body.volumeAttachment.delete_on_termination).toBe(true);
    const actions = (await compute('GET', `/servers/${serverId}/os-instance-actions`)).body.instanceActions;
    expect(actions.map((x: any) => x.action)).toContain('swap_volume');

    const ev = await compute('POST', '/os-server-external-events', {
      events: [
        { name: 'volume-extended', server_uuid: serverId, tag: second },
        { name: 'volume-extended', server_uuid: '0e0b1c52-58c1-4c2c-a6b0-000000000000', tag: second },
      ],
    });
    expect(ev.status).toBe(207);
    expect(ev.body.events.map((e: any) => e.code)).toEqual([200, 404]);
  });

  it('deletes a server: its volumes are detached, those marked delete_on_termination deleted', async () => {
    const { compute, volume } = env;
    const r = await compute(
      'POST',
      '/servers',
      {
        server: { name: 'vm2', flavorRef: env.flavorId, imageRef: env.imageId, networks: 'none' },
      },
      at('2.79'),
    );
    const id = r.body.server.id;
    await waitServer(compute, id, (s) => s.status === 'ACTIVE');
    const keep = await availableVolume(volume);
    const drop = await availableVolume(volume);
    await compute(
      'POST',
      `/servers/${id}/os-volume_attachments`,
      { volumeAttachment: { volumeId: keep } },
      at('2.79'),
    );
    await compute(
      'POST',
      `/servers/${id}/os-volume_attachments`,
      { volumeAttachment: { volumeId: drop, delete_on_termination: true } },
      at('2.79'),
    );
    expect((await compute('DELETE', `/servers/${id}`)).status).toBe(204);
    expect(await waitServer(compute, id, () => false)).toBeUndefined();
    await waitVolume(volume, keep, (x) => x?.status === 'available');
    await waitVolume(volume, drop, (x) => x === undefined);
  });

  it('proxies os-volumes and os-snapshots to block storage until 2.35, then answers 404', async () => {
    const { compute, volume } = env;
    const made = await compute('POST', '/os-volumes', {
      volume: { size: 1, display_name: 'proxied', display_description: 'via nova' },
    });
    expect(made.status).toBe(200);
    expect(made.body.volume).toMatchObject({
      size: 1,
      displayName: 'proxied',
      displayDescription: 'via nova',
    });
    const id = made.body.volume.id;
    await waitVolume(volume, id, (x) => x.status === 'available');
    const shown = await compute('GET', `/os-volumes/${id}`);
    expect(shown.body.volume).toMatchObject({ id, status: 'available', attachments: [{}], metadata: {} });
    const list = await compute('GET', '/os-volumes/detail');
    expect(list.body.volumes.map((v: any) => v.id)).toContain(id);
    const snap = await compute('POST', '/os-snapshots', { snapshot: { volume_id: id, display_name: 's1' } });
    expect(snap.status).toBe(200);
    expect(snap.body.snapshot).toMatchObject({ volumeId: id, size: 1, displayName: 's1' });
    const snaps = await compute('GET', '/os-snapshots');
    expect(snaps.body.snapshots.map((s: any) => s.id)).toContain(snap.body.snapshot.id);
    expect((await compute('GET', '/os-volumes', undefined, at('2.36'))).status).toBe(404);
    expect((await compute('GET', '/os-snapshots', undefined, at('2.36'))).status).toBe(404);
    expect((await compute('GET', '/os-volumes/0e0b1c52-58c1-4c2c-a6b0-000000000000')).status).toBe(404);
    expect((await compute('GET', '/os-volumes/')).status).toBe(404);
    expect((await compute('DELETE', '/os-volumes/')).status).toBe(404);
    for (let i = 0; i < 200; i++) {
      if (
        (await compute('GET', `/os-snapshots/${snap.body.snapshot.id}`)).body.snapshot.status === 'available'
      )
        break;
      await new Promise((res) => setTimeout(res, 20));
    }
    expect((await compute('DELETE', `/os-snapshots/${snap.body.snapshot.id}`)).status).toBe(202);
  });
});
