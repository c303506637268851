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
});
