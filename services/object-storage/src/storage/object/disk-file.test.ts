import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ObjectDisk } from './disk-file';
import { makeHashDir } from './disk-writer';
import { type MetadataIo, sidecarMetadata } from './metadata-io';

/** Bytes of a file in the page cache, as util-linux's fincore counts them. */
const cachedBytes = (path: string) =>
  Number(execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', path]).toString().trim());

describe('disk writer', () => {
  let root: string;
  let disk: ObjectDisk;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'disk-file-'));
    mkdirSync(join(root, 'd1'));
    disk = new ObjectDisk(root, sidecarMetadata);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes every chunk in order while writes and syncs run in the background', async () => {
    const writer = await disk.createWriter('d1');
    const md5 = createHash('md5');
    // 70 MiB in socket-sized chunks of varying bytes: several batches, two periodic syncs.
    for (let i = 0; i < 1120; i++) {
      const chunk = Buffer.alloc(64 * 1024, i % 251);
      md5.update(chunk);
      await writer.write(chunk);
    }
    const dir = disk.hashDir('d1', 0, 'abc');
    await writer.commit(dir, '0000000001.00000.data', { ETag: 'x' });
    // Durable, a large object leaves the page cache (upstream's drop_buffer_cache).
    expect(cachedBytes(join(dir, '0000000001.00000.data'))).toBe(0);
    const data = readFileSync(join(dir, '0000000001.00000.data'));
    expect(data.length).toBe(70 * 1024 * 1024);
    expect(createHash('md5').update(data).digest('hex')).toBe(md5.digest('hex'));
  });

  it('keeps a small object in the page cache, as the ones read again soon', async () => {
    const writer = await disk.createWriter('d1');
    await writer.write(Buffer.alloc(64 * 1024, 1));
    const dir = disk.hashDir('d1', 0, 'def');
    await writer.commit(dir, '0000000001.00000.data', { ETag: 'x' });
    expect(cachedBytes(join(dir, '0000000001.00000.data'))).toBe(64 * 1024);
  });

  it('fails later writes and the commit when a background write failed, and leaves no file behind', async () => {
    const writer = await disk.createWriter('d1');
    // The file closed under the writer: the first batch's write fails in the background.
    closeSync((writer as unknown as { fd: number }).fd);
    await writer.write(Buffer.alloc(1024 * 1024));
    await new Promise((r) => setTimeout(r, 50));
    await expect(writer.write(Buffer.alloc(1024))).rejects.toThrow();
    await expect(writer.commit(disk.hashDir('d1', 0, 'abc'), '0000000001.00000.data', {})).rejects.toThrow();
    await writer.abort();
    expect(readdirSync(join(root, 'd1', 'tmp'))).toEqual([]);
  });

  it('makes a hash directory and its missing parents, but never a device directory that went away', () => {
    const dir = disk.hashDir('d1', 7, 'f00abc');
    makeHashDir(dir);
    makeHashDir(dir);
    expect(readdirSync(join(root, 'd1', 'objects', '7', 'abc'))).toEqual(['f00abc']);
    expect(() => makeHashDir(disk.hashDir('gone', 7, 'f00abc'))).toThrow(
      expect.objectContaining({ code: 'ENOENT' }),
    );
    expect(readdirSync(root)).toEqual(['d1']);
  });

  it('does not make a failed device again when it goes away while a write commits', async () => {
    const writer = await disk.createWriter('d1');
    await writer.write(Buffer.from('data'));
    renameSync(join(root, 'd1'), join(root, 'd1.failed'));
    await expect(writer.commit(disk.hashDir('d1', 0, 'abc'), '0000000001.00000.data', {})).rejects.toThrow();
    await writer.abort();
    expect(readdirSync(root)).toEqual(['d1.failed']);
  });

  it('syncs sidecar metadata before the object is renamed into place', async () => {
    const synced: { path: string; placed: boolean }[] = [];
    const dir = disk.hashDir('d1', 0, 'abc');
    const meta: MetadataIo = {
      ...sidecarMetadata,
      async sync(path) {
        await sidecarMetadata.sync(path);
        synced.push({ path, placed: existsSync(join(dir, '0000000001.00000.data')) });
      },
    };
    const writer = await new ObjectDisk(root, meta).createWriter('d1');
    await writer.write(Buffer.from('data'));
    await writer.commit(dir, '0000000001.00000.data', { ETag: 'x' });
    expect(synced).toEqual([{ path: writer.tmpPath, placed: false }]);
    expect(sidecarMetadata.read(join(dir, '0000000001.00000.data'))).toEqual({ ETag: 'x' });
    // It is the sidecar that is synced: with none, there is nothing to sync.
    await expect(sidecarMetadata.sync(join(root, 'd1', 'none'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
