import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitServer } from './compute-cloud';
import { availableVolume, volumeCloud, waitVolume } from './volume-cloud';

const at = (v: string) => ({ 'openstack-api-version': `compute ${v}` });

describe('block_device_mapping_v2 on create', () => {
  let env: Awaited<ReturnType<typeof volumeCloud>>;

  beforeAll(async () => {
    env = await volumeCloud();
  }, 60_000);
  afterAll(async () => {
    await env?.cloud.stop();
  });

  const boot = (server: Record<string, unknown>, version = '2.79') =>
    env.compute(
      'POST',
      '/servers',
      { server: { name: 'bfv', flavorRef: env.flavorId, networks: 'none', ...server } },
      at(version),
    );

  it('boots from an existing volume without an image; deleting keeps the volume unless asked', async () => {
    const { compute, volume } = env;
    const vol = await availableVolume(volume, { imageRef: env.imageId });
    const r = await boot({
      block_device_mapping_v2: [
        { source_type: 'volume', destination_type: 'volume', uuid: vol, boot_index: 0 },
      ],
    });
    expect(r.status).toBe(202);
    const s = await waitServer(compute, r.body.server.id, (x) => x.status === 'ACTIVE', at('2.3'));
    expect(s.image).toBe('');
    expect(s['os-extended-volumes:volumes_attached']).toEqual([{ id: vol, delete_on_termination: false }]);
    const v = await waitVolume(volume, vol, (x) => x.status === 'in-use');
    expect(v.attachments[0]).toMatchObject({ server_id: s.id, device: '/dev/vda' });
    const log = await compute('POST', `/servers/${s.id}/action`, { 'os-getConsoleOutput': {} });
    expect(log.body.output).toContain(`from volume ${vol}`);
    const root = await compute('DELETE', `/servers/${s.id}/os-volume_attachments/${vol}`);
    expect(root.status).toBe(400);
    expect(root.body.badRequest.message).toBe('Cannot detach a root device volume');
    await compute('DELETE', `/servers/${s.id}`);
    expect(await waitServer(compute, s.id, () => false)).toBeUndefined();
    await waitVolume(volume, vol, (x) => x.status === 'available');
  });

  it('makes a volume from the image (and a blank one), and deletes them with the server', async () => {
    const { compute, volume } = env;
    const r = await boot({
      block_device_mapping_v2: [
        {
          source_type: 'image',
          destination_type: 'volume',
          uuid: env.imageId,
          boot_index: 0,
          volume_size: 1,
          delete_on_termination: true,
        },
        { source_type: 'blank', destination_type: 'volume', volume_size: 1, delete_on_termination: true },
      ],
    });
    expect(r.status).toBe(202);
    const s = await waitServer(compute, r.body.server.id, (x) => x.status === 'ACTIVE');
    const attached = s['os-extended-volumes:volumes_attached'];
    expect(attached).toHaveLength(2);
    const list = await compute('GET', `/servers/${s.id}/os-volume_attachments`);
    expect(list.body.volumeAttachments.map((a: any) => a.device)).toEqual(['/dev/vda', '/dev/vdb']);
    const rootVol = (await volume('GET', `/volumes/${attached[0].id}`)).body.volume;
    expect(rootVol).toMatchObject({ status: 'in-use', size: 1, bootable: 'true' });
    await compute('DELETE', `/servers/${s.id}`);
    expect(await waitServer(compute, s.id, () => false)).toBeUndefined();
    for (const a of attached) await waitVolume(volume, a.id, (x) => x === undefined);
  });

  it('boots from a snapshot, and through the legacy block_device_mapping', async () => {
    const { compute, volume } = env;
    const base = await availableVolume(volume, { imageRef: env.imageId });
    const snap = await volume('POST', '/snapshots', { snapshot: { volume_id: base } });
    expect(snap.status).toBe(202);
    for (let i = 0; i < 200; i++) {
      if ((await volume('GET', `/snapshots/${snap.body.snapshot.id}`)).body.snapshot.status === 'available')
        break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const r = await boot({
      block_device_mapping_v2: [
        { source_type: 'snapshot', destination_type: 'volume', uuid: snap.body.snapshot.id, boot_index: 0 },
      ],
    });
    expect(r.body).toEqual({ server: expect.anything() });
    const s = await waitServer(compute, r.body.server.id, (x) => x.status === 'ACTIVE');
    expect(s['os-extended-volumes:volumes_attached']).toHaveLength(1);

    const legacyVol = await availableVolume(volume, { imageRef: env.imageId });
    const legacy = await boot(
      { networks: [], block_device_mapping: [{ device_name: 'vda', volume_id: legacyVol }] },
      '2.1',
    );
    expect(legacy.status).toBe(202);
    const l = await waitServer(compute, legacy.body.server.id, (x) => x.status === 'ACTIVE');
    expect(l['os-extended-volumes:volumes_attached']).toEqual([{ id: legacyVol }]);
  });

  it('refuses invalid mappings as Nova does', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        {},
        'Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.',
      ],
      [
        { block_device_mapping_v2: [{ source_type: 'blank', destination_type: 'volume', boot_index: 0 }] },
        "Block Device Mapping is Invalid: Blank volumes (source: 'blank', dest: 'volume') need to have non-zero size",
      ],
      [
        {
          imageRef: env.imageId,
          block_device_mapping_v2: [
            { source_type: 'blank', destination_type: 'local', guest_format: 'swap', volume_size: 1 },
          ],
        },
        'Block Device Mapping is Invalid: Swap drive requested is larger than instance type allows.',
      ],
      [
        {
          imageRef: env.imageId,
          block_device_mapping_v2: [{ source_type: 'blank', destination_type: 'local', volume_size: 1 }],
        },
        'Block Device Mapping is Invalid: Ephemeral disks requested are larger than the instance type allows. If no size is given in one block device mapping, flavor ephemeral size will be used.',
      ],
      [
        {
          block_device_mapping_v2: [
            {
              source_type: 'volume',
              destination_type: 'volume',
              uuid: '0e0b1c52-58c1-4c2c-a6b0-000000000001',
              boot_index: 0,
            },
          ],
        },
        'Block Device Mapping is Invalid: failed to get volume 0e0b1c52-58c1-4c2c-a6b0-000000000001.',
      ],
      [
        {
          block_device_mapping: [{ device_name: 'vda', volume_id: '0e0b1c52-58c1-4c2c-a6b0-000000000001' }],
          block_device_mapping_v2: [],
        },
        'Using different block_device_mapping syntaxes is not allowed in the same request.',
      ],
    ];
    for (const [server, message] of cases) {
      const r = await boot(server);
      expect({ status: r.status, message: r.body.badRequest?.message }).toEqual({ status: 400, message });
    }
    const blank = await availableVolume(env.volume);
    await env.volume('POST', `/volumes/${blank}/action`, { 'os-set_bootable': { bootable: false } });
    const r = await boot({
      block_device_mapping_v2: [
        { source_type: 'volume', destination_type: 'volume', uuid: blank, boot_index: 0 },
      ],
    });
    expect({ status: r.status, message: r.body.badRequest?.message }).toEqual({
      status: 400,
      message: `Block Device ${blank} is not bootable.`,
    });
  });
});
