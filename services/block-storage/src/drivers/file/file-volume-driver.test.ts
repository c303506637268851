import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageFormatMismatch, VolumeDriverError } from '../driver-api';
import { FileVolumeDriver } from './file-volume-driver';

const GIB = 1024 ** 3;
const qemuImg = (...args: string[]) => execFileSync('qemu-img', args, { encoding: 'utf8' });

/** Every file under `dir`, hidden directories' contents included. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() || e.isSocket()).map((e) => join(e.parentPath ?? e.path, e.name));
}

describe('file volume driver', () => {
  let dataDir: string;
  let work: string;
  let raw: FileVolumeDriver;
  let qcow: FileVolumeDriver;
  let nbd: FileVolumeDriver;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nimbus-file-driver-'));
    work = await mkdtemp(join(tmpdir(), 'nimbus-file-work-'));
    raw = new FileVolumeDriver({ host: 'h1@raw', backendName: 'raw', dataDir, options: {} });
    qcow = new FileVolumeDriver({
      host: 'h1@qcow',
      backendName: 'qcow',
      dataDir,
      options: { volume_format: 'qcow2' },
    });
    nbd = new FileVolumeDriver({
      host: 'h1@nbd',
      backendName: 'nbd',
      dataDir,
      options: { nbd_export: true },
    });
    for (const d of [raw, qcow, nbd]) await d.init();
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('keeps volumes under <data_dir>/block-storage/<host>/volumes, sparse, and leaves nothing after deletes', async () => {
    expect(raw.directory).toBe(join(dataDir, 'block-storage', 'h1@raw', 'volumes'));
    const v = { id: randomUUID(), sizeGb: 1 };
    const update = await raw.createVolume(v);
    expect(update.providerLocation).toBe(join(raw.directory, `volume-${v.id}.raw`));
    const du = execFileSync('du', ['-k', update.providerLocation!], { encoding: 'utf8' });
    expect(Number(du.split('\t')[0])).toBeLessThan(1024);
    const snap = { id: randomUUID(), volumeId: v.id, volumeSizeGb: 1 };
    await raw.createSnapshot(snap, v);
    await raw.deleteSnapshot(snap);
    await raw.deleteVolume(v);
    expect(await tree(raw.directory)).toEqual([]);
  });

  it('writes a qcow2 image into a raw volume and a raw image into a qcow2 volume, data intact', async () => {
    const src = join(work, 'src.raw');
    await writeFile(src, Buffer.concat([Buffer.from('BOOTSECTOR'), Buffer.alloc(2 * 1024 * 1024, 1)]));
    qemuImg('convert', '-f', 'raw', '-O', 'qcow2', src, join(work, 'src.qcow2'));
    const v = { id: randomUUID(), sizeGb: 1 };
    await raw.createVolume(v);
    await raw.copyImageToVolume(v, {
      stream: createReadStream(join(work, 'src.qcow2')),
      diskFormat: 'qcow2',
      containerFormat: 'bare',
    });
    const access = await raw.openForBackup(v);
    const head = Buffer.alloc(10);
    const h = await open(access.path, 'r');
    await h.read(head, 0, 10, 0);
    await h.close();
    expect(head.toString()).toBe('BOOTSECTOR');
    expect(access.sizeBytes).toBe(GIB);

    const q = { id: randomUUID(), sizeGb: 1 };
    await qcow.createVolume(q);
    await qcow.copyImageToVolume(q, {
      stream: createReadStream(src),
      diskFormat: 'raw',
      containerFormat: 'bare',
    });
    const info = JSON.parse(
      qemuImg('info', '--output=json', '-f', 'qcow2', join(qcow.directory, `volume-${q.id}.qcow2`)),
    );
    expect(info['virtual-size']).toBe(GIB);

    // Upload as qcow2: a converted copy in staging, removed once read.
    const out = await raw.copyVolumeToImage(v, 'qcow2');
    const dest = join(work, 'out.qcow2');
    await writeFile(dest, out.stream);
    expect(qemuImg('compare', '-f', 'qcow2', '-F', 'raw', dest, access.path)).toMatch(/identical/);
    await new Promise((r) => setTimeout(r, 50));
    expect(await readdir(join(raw.directory, '.staging'))).toEqual([]);
    await raw.deleteVolume(v);
    await qcow.deleteVolume(q);
  });

  it('refuses images that lie, do not fit or point elsewhere, leaving no staged file', async () => {
    const v = { id: randomUUID(), sizeGb: 1 };
    await raw.createVolume(v);
    qemuImg('create', '-q', '-f', 'qcow2', join(work, 'big.qcow2'), String(2 * GIB));
    await expect(
      raw.copyImageToVolume(v, {
        stream: createReadStream(join(work, 'big.qcow2')),
        diskFormat: 'qcow2',
        containerFormat: 'bare',
      }),
    ).rejects.toThrow(/does not fit/);
    qemuImg(
      'create',
      '-q',
      '-f',
      'qcow2',
      '-b',
      '/etc/passwd',
      '-F',
      'raw',
      join(work, 'backed.qcow2'),
      '1M',
    );
    await expect(
      raw.copyImageToVolume(v, {
        stream: createReadStream(join(work, 'backed.qcow2')),
        diskFormat: 'qcow2',
        containerFormat: 'bare',
      }),
    ).rejects.toBeInstanceOf(ImageFormatMismatch);
    await expect(
      raw.copyImageToVolume(v, {
        stream: createReadStream(join(work, 'big.qcow2')),
        diskFormat: 'raw',
        containerFormat: 'bare',
      }),
    ).rejects.toBeInstanceOf(ImageFormatMismatch);
    expect(await readdir(join(raw.directory, '.staging'))).toEqual([]);
    await raw.deleteVolume(v);
  });

  it('leaves no file behind when a create fails midway', async () => {
    const src = { id: randomUUID(), sizeGb: 1 };
    await qcow.createVolume(src);
    // A corrupt qcow2 header: qemu-img refuses to read it.
    const h = await open(join(qcow.directory, `volume-${src.id}.qcow2`), 'r+');
    await h.write(Buffer.alloc(64, 0xff), 0, 64, 8);
    await h.close();
    const clone = { id: randomUUID(), sizeGb: 1 };
    await expect(qcow.createClonedVolume(clone, src)).rejects.toBeInstanceOf(VolumeDriverError);
    await qcow.deleteVolume(src);
    expect(await tree(qcow.directory)).toEqual([]);
  });

  it('exports a volume over NBD to several hosts and stops when the last one leaves', async () => {
    const v = { id: randomUUID(), sizeGb: 1 };
    await nbd.createVolume(v);
    const info = await nbd.initializeConnection(v, { host: 'compute-1' });
    expect(info.driver_volume_type).toBe('nbd');
    const url = `nbd+unix:///${info.data.export_name}?socket=${info.data.path}`;
    expect(JSON.parse(qemuImg('info', '--output=json', url))['virtual-size']).toBe(GIB);
    await nbd.initializeConnection(v, { host: 'compute-2' });
    await nbd.terminateConnection(v, { host: 'compute-1' });
    expect(await nbd.exportedTo(v.id)).toEqual(['compute-2']);
    expect(JSON.parse(qemuImg('info', '--output=json', url))['virtual-size']).toBe(GIB);
    await nbd.terminateConnection(v, { host: 'compute-2' });
    expect(await nbd.exportedTo(v.id)).toEqual([]);
    expect(() => qemuImg('info', url)).toThrow();
    await nbd.initializeConnection(v, { host: 'compute-3' });
    await nbd.deleteVolume(v);
    expect(await tree(nbd.directory)).toEqual([]);
  });

  it('keeps a misconfigured backend down at init, not at construction', async () => {
    const bad = new FileVolumeDriver({
      host: 'h1@bad',
      backendName: 'bad',
      dataDir,
      options: { volume_format: 'vmdk' as 'raw' },
    });
    await expect(bad.init()).rejects.toThrow(/volume_format must be raw or qcow2/);
  });

  it('reports the filesystem capacity and what it provisioned', async () => {
    const [before] = await raw.getPools();
    const df = execFileSync('df', ['-k', '--output=size', raw.directory], { encoding: 'utf8' });
    const totalGb = Number(df.trim().split('\n')[1]) / 1024 / 1024;
    expect(before!.totalCapacityGb).toBeCloseTo(totalGb, 0);
    const v = { id: randomUUID(), sizeGb: 5 };
    await raw.createVolume(v);
    const [after] = await raw.getPools();
    expect(after!.provisionedCapacityGb - before!.provisionedCapacityGb).toBe(5);
    expect(after!.thinProvisioningSupport).toBe(true);
    await raw.deleteVolume(v);
  });
});
