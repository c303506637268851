import { createHash, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { HashWorker } from './hash-worker';

const worker = new HashWorker();
afterAll(() => worker.close());

describe('HashWorker', () => {
  it('gives the same digests as hashing in place, for interleaved streams and slices of pooled buffers', async () => {
    const a = randomBytes(5 << 20);
    const b = randomBytes(3 << 20);
    const ha = worker.open('sha512');
    const hb = worker.open('sha256');
    for (let off = 0; off < a.length; off += 65_536) {
      await ha.write(a.subarray(off, off + 65_536));
      if (off < b.length) await hb.write(b.subarray(off, off + 65_536));
    }
    const [da, db] = await Promise.all([ha.end(), hb.end()]);
    expect(da).toEqual({
      md5: createHash('md5').update(a).digest('hex'),
      multihash: createHash('sha512').update(a).digest('hex'),
    });
    expect(db.multihash).toBe(createHash('sha256').update(b).digest('hex'));
    const aborted = worker.open('sha512');
    await aborted.write(Buffer.from('partial'));
    aborted.abort();
  });

  it('hashes chunks that straddle and exceed its slabs, leaves the callers buffers intact and reuses slabs', async () => {
    const data = randomBytes((9 << 20) + 12_345);
    const sizes = [1, 100_003, (2 << 20) + 517, 65_536, 3 << 20];
    for (let round = 0; round < 2; round++) {
      const h = worker.open('sha512');
      for (let off = 0, i = 0; off < data.length; i++) {
        const chunk = data.subarray(off, off + sizes[i % sizes.length]!);
        const before = Buffer.from(chunk);
        await h.write(chunk);
        expect(chunk.equals(before)).toBe(true);
        off += chunk.length;
      }
      expect(await h.end()).toEqual({
        md5: createHash('md5').update(data).digest('hex'),
        multihash: createHash('sha512').update(data).digest('hex'),
      });
    }
    expect((worker as unknown as { free: ArrayBuffer[] }).free.length).toBeGreaterThan(0);
  });
});
