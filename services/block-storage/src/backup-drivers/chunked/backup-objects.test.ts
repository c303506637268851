import { createHash, randomBytes } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { blockHashes, chunkName, md5Hex, packChunk, unpackChunk } from './backup-objects';
import { changedExtents } from './chunked-backup-driver';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('backup objects', () => {
  it('names chunks as upstream does', () => {
    expect(chunkName('volume_v/20260101000000/az_nova_backup_b', 7)).toBe(
      'volume_v/20260101000000/az_nova_backup_b-00007',
    );
  });

  it('hashes every block, zero blocks included, with the real digests', async () => {
    const data = Buffer.concat([randomBytes(1000), Buffer.alloc(2048), randomBytes(24)]);
    expect(await blockHashes(data, 1024)).toEqual(
      [0, 1024, 2048].map((at) => sha(data.subarray(at, at + 1024))),
    );
    expect(await md5Hex(Buffer.alloc(4096))).toBe(createHash('md5').update(Buffer.alloc(4096)).digest('hex'));
  });

  it('compresses with zlib only when it helps, and unpacks what it packed', async () => {
    const zeros = await packChunk(Buffer.alloc(1024 * 1024), 'zlib');
    expect(zeros.compression).toBe('zlib');
    expect(inflateSync(zeros.stored).equals(Buffer.alloc(1024 * 1024))).toBe(true);
    const noise = randomBytes(512 * 1024);
    const packed = await packChunk(noise, 'zlib');
    expect(packed.compression).toBe('none');
    expect((await unpackChunk(packed.stored, packed.compression)).equals(noise)).toBe(true);
    const text = Buffer.from('block storage '.repeat(10_000));
    const small = await packChunk(text, 'zlib');
    expect(small.stored.length).toBeLessThan(text.length / 10);
    expect((await unpackChunk(small.stored, 'zlib')).equals(text)).toBe(true);
    expect((await packChunk(text, 'none')).stored).toBe(text);
  });

  it('finds changed extents against the parent, blocks past its end changed', () => {
    expect(changedExtents(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd'], 0, 10, 40)).toEqual([[10, 20]]);
    expect(changedExtents(['a', 'b', 'c', 'd'], ['z', 'a', 'b'], 2, 10, 35)).toEqual([[0, 35]]);
    expect(changedExtents(['a', 'b'], ['q', 'q', 'a', 'b'], 2, 10, 20)).toEqual([]);
  });
});
