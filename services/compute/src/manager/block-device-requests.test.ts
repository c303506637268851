import { describe, expect, it } from 'vitest';
import { checkBlockDeviceMappings, parseBlockDeviceMappings } from './block-device-requests';

const mv = (v: string) => ({ atLeast: (w: string) => Number(v.split('.')[1]) >= Number(w.split('.')[1]) });
const flavor = { ephemeralGb: 1, swapMb: 512 };
const vol = '0e0b1c52-58c1-4c2c-a6b0-000000000001';

describe('block device mappings of a create', () => {
  it('normalises v2 entries (string booleans and indexes, -1 as none) and drops no_device', () => {
    const parsed = parseBlockDeviceMappings(
      {
        block_device_mapping_v2: [
          {
            source_type: 'volume',
            destination_type: 'volume',
            uuid: vol,
            boot_index: '0',
            delete_on_termination: 'True',
          },
          { source_type: 'blank', destination_type: 'local', guest_format: 'swap', boot_index: -1 },
          { no_device: true, device_name: 'vdc' },
        ],
      },
      mv('2.1'),
    );
    expect(parsed).toEqual([
      expect.objectContaining({ sourceType: 'volume', uuid: vol, bootIndex: 0, deleteOnTermination: true }),
      expect.objectContaining({
        sourceType: 'blank',
        destinationType: 'local',
        guestFormat: 'swap',
        bootIndex: null,
      }),
    ]);
  });

  it('gates tag and volume_type by microversion, and refuses two syntaxes at once', () => {
    const tagged = {
      block_device_mapping_v2: [{ source_type: 'volume', uuid: vol, boot_index: 0, tag: 't' }],
    };
    expect(() => parseBlockDeviceMappings(tagged, mv('2.33'))).toThrow(/'tag' was unexpected/);
    expect(parseBlockDeviceMappings(tagged, mv('2.42'))[0]!.tag).toBe('t');
    expect(() =>
      parseBlockDeviceMappings(
        { block_device_mapping_v2: [{ source_type: 'volume', uuid: vol, volume_type: 'x' }] },
        mv('2.66'),
      ),
    ).toThrow(/'volume_type' was unexpected/);
    expect(() =>
      parseBlockDeviceMappings({ block_device_mapping: [], block_device_mapping_v2: [] }, mv('2.1')),
    ).toThrow('Using different block_device_mapping syntaxes is not allowed in the same request.');
  });

  it('maps the legacy list: the root device boots, snapshots become volumes', () => {
    expect(
      parseBlockDeviceMappings(
        {
          block_device_mapping: [
            { device_name: 'vda', volume_id: vol },
            { device_name: '/dev/vdb', snapshot_id: vol },
          ],
        },
        mv('2.1'),
      ),
    ).toEqual([
      expect.objectContaining({ sourceType: 'volume', bootIndex: 0, deviceName: '/dev/vda' }),
      expect.objectContaining({ sourceType: 'snapshot', bootIndex: null, deviceName: '/dev/vdb' }),
    ]);
  });

  it('takes a legacy volume without a device name as a data volume, and refuses an empty name', () => {
    const [r] = parseBlockDeviceMappings(
      { block_device_mapping: [{ volume_id: 'v1', delete_on_termination: '0' }] },
      mv('2.1'),
    );
    expect(r).toMatchObject({ uuid: 'v1', deviceName: null, bootIndex: null, deleteOnTermination: false });
    expect(() =>
      parseBlockDeviceMappings({ block_device_mapping: [{ volume_id: 'v1', device_name: '' }] }, mv('2.1')),
    ).toThrow(/Device name empty or too long/);
  });

  it('checks boot sequence, sizes and local disks against the flavor as Nova words it', () => {
    const p = (list: unknown[]) => parseBlockDeviceMappings({ block_device_mapping_v2: list }, mv('2.1'));
    const check =
      (list: unknown[], image = '') =>
      () =>
        checkBlockDeviceMappings(p(list), image, flavor);
    expect(check([])).toThrow(/Boot sequence for the instance/);
    expect(check([{ source_type: 'volume', uuid: vol, boot_index: 1 }])).toThrow(/Boot sequence/);
    expect(check([{ source_type: 'volume', uuid: vol, boot_index: 0 }])).not.toThrow();
    expect(check([{ source_type: 'blank', destination_type: 'volume', boot_index: 0 }])).toThrow(
      /non-zero size/,
    );
    expect(check([{ source_type: 'image', destination_type: 'local', uuid: vol }], 'img')).toThrow(
      'Block Device Mapping is Invalid: Mapping image to local is not supported.',
    );
    const swap = (mb: number) => ({
      source_type: 'blank',
      destination_type: 'local',
      guest_format: 'swap',
      volume_size: mb,
    });
    expect(check([swap(1)], 'img')).toThrow(/Swap drive requested is larger/);
    expect(check([{ ...swap(0) }, { ...swap(0) }], 'img')).toThrow(/More than one swap drive/);
    expect(check([{ source_type: 'blank', destination_type: 'local', volume_size: 1 }], 'img')).not.toThrow();
    expect(check([{ source_type: 'blank', destination_type: 'local', volume_size: 2 }], 'img')).toThrow(
      /Ephemeral disks requested are larger/,
    );
  });
});
