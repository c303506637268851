import { describe, expect, it } from 'vitest';
import { inspect, mismatch } from './format-inspector';

function qcow2(opts: { size: number; backing?: boolean; externalData?: boolean }): Buffer {
  const b = Buffer.alloc(1024);
  b.writeUInt32BE(0x514649fb, 0);
  b.writeUInt32BE(3, 4);
  if (opts.backing) b.writeBigUInt64BE(512n, 8);
  b.writeBigUInt64BE(BigInt(opts.size), 24);
  if (opts.externalData) b.writeBigUInt64BE(0b100n, 72);
  return b;
}

describe('format inspector', () => {
  it('reads qcow2 virtual size and refuses backing files and external data files', () => {
    expect(inspect(qcow2({ size: 10 << 20 }), Buffer.alloc(0), 1024)).toEqual({
      format: 'qcow2',
      virtualSize: 10 << 20,
      unsafe: [],
    });
    expect(mismatch('qcow2', inspect(qcow2({ size: 1, backing: true }), Buffer.alloc(0), 1024))).toContain(
      'backing file',
    );
    expect(
      mismatch('qcow2', inspect(qcow2({ size: 1, externalData: true }), Buffer.alloc(0), 1024)),
    ).toContain('external data file');
  });

  it('refuses content that is not the declared format, the qcow2-as-raw attack first', () => {
    expect(mismatch('raw', inspect(qcow2({ size: 1 }), Buffer.alloc(0), 1024))).toContain(
      'not the declared disk_format raw',
    );
    expect(mismatch('qcow2', inspect(Buffer.from('just bytes'), Buffer.alloc(0), 10))).toContain(
      'content is raw',
    );
    expect(mismatch('ami', inspect(qcow2({ size: 1 }), Buffer.alloc(0), 1024))).toBeUndefined();
  });

  it('detects vmdk, vhd (header or footer), vdi and iso with their sizes', () => {
    const vmdk = Buffer.alloc(512);
    vmdk.write('KDMV', 0, 'latin1');
    vmdk.writeBigUInt64LE(2048n, 12);
    expect(inspect(vmdk, Buffer.alloc(0), 512)).toMatchObject({ format: 'vmdk', virtualSize: 2048 * 512 });
    expect(
      inspect(Buffer.from('# Disk DescriptorFile\nRW 1 FLAT "other.vmdk"'), Buffer.alloc(0), 40).unsafe,
    ).toHaveLength(1);
    const footer = Buffer.alloc(512);
    footer.write('conectix', 0, 'latin1');
    footer.writeBigUInt64BE(4096n, 48);
    expect(inspect(Buffer.alloc(1024), footer, 1536)).toMatchObject({ format: 'vhd', virtualSize: 4096 });
    const vdi = Buffer.alloc(0x200);
    vdi.writeUInt32LE(0xbeda107f, 0x40);
    vdi.writeBigUInt64LE(8192n, 0x170);
    expect(inspect(vdi, Buffer.alloc(0), 0x200)).toMatchObject({ format: 'vdi', virtualSize: 8192 });
    const iso = Buffer.alloc(0x9000);
    iso.write('CD001', 0x8001, 'latin1');
    iso.writeUInt32LE(100, 0x8050);
    iso.writeUInt16LE(2048, 0x8080);
    expect(inspect(iso, Buffer.alloc(0), 0x9000)).toMatchObject({ format: 'iso', virtualSize: 204800 });
    expect(mismatch('raw', inspect(iso, Buffer.alloc(0), 0x9000))).toBeUndefined();
  });
});
