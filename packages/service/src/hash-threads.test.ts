import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { HashThreads } from './hash-threads';

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

describe('HashThreads', () => {
  // Three threads whatever the machine, so streams and their algorithms really are spread.
  const worker = new HashThreads(3);
  afterAll(() => worker.close());

  it('hashes a stream of odd-sized chunks as createHash does, and callers may reuse each chunk at once', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 777);
    const stream = worker.open(['md5']);
    const scratch = Buffer.alloc(70_001);
    for (let at = 0; at < data.length; at += scratch.length) {
      const n = data.copy(scratch, 0, at);
      await stream.update(scratch.subarray(0, n));
      scratch.fill(0);
    }
    expect(await stream.digest()).toEqual([md5(data)]);
  });

  it('keeps streams apart and hashes small announced bodies on the caller thread', async () => {
    const a = worker.open(['md5']);
    const b = worker.open(['md5']);
    const small = worker.open(['md5'], 3);
    a.update(Buffer.from('abc'));
    b.update(Buffer.from('xyz'));
    small.update(Buffer.from('abc'));
    expect(await a.digest()).toEqual([md5('abc')]);
    expect(await b.digest()).toEqual([md5('xyz')]);
    expect(await small.digest()).toEqual([md5('abc')]);
    expect(await worker.open(['md5']).digest()).toEqual(['d41d8cd98f00b204e9800998ecf8427e']);
  });

  it('asks the caller to wait when far behind, and lets it go on once the thread caught up', async () => {
    const stream = worker.open(['md5']);
    const chunk = Buffer.alloc(1024 * 1024, 1);
    let waited = 0;
    for (let i = 0; i < 40; i++) {
      const wait = stream.update(chunk);
      if (wait) {
        waited++;
        await wait;
      }
    }
    expect(waited).toBeGreaterThan(0);
    expect(await stream.digest()).toEqual([md5(Buffer.alloc(40 * 1024 * 1024, 1))]);
  });

  it('fails an unfinished stream when the thread stops', async () => {
    const own = new HashThreads();
    const stream = own.open(['md5']);
    stream.update(Buffer.from('abc'));
    await own.close();
    await expect(stream.digest()).rejects.toThrow();
  });

  it('computes several algorithms per stream (an image checksum and multihash), for interleaved streams', async () => {
    const a = randomBytes(5 << 20);
    const b = randomBytes(3 << 20);
    const ha = worker.open(['md5', 'sha512']);
    const hb = worker.open(['md5', 'sha256']);
    for (let off = 0; off < a.length; off += 65_536) {
      await ha.update(a.subarray(off, off + 65_536));
      if (off < b.length) await hb.update(b.subarray(off, off + 65_536));
    }
    const [da, db] = await Promise.all([ha.digest(), hb.digest()]);
    expect(da).toEqual([md5(a), createHash('sha512').update(a).digest('hex')]);
    expect(db).toEqual([md5(b), createHash('sha256').update(b).digest('hex')]);
  });

  it('hashes chunks that straddle and exceed its slabs, leaves the callers buffers intact and reuses slabs', async () => {
    const data = randomBytes((9 << 20) + 12_345);
    const sizes = [1, 100_003, (2 << 20) + 517, 65_536, 3 << 20];
    for (let round = 0; round < 2; round++) {
      const h = worker.open(['md5', 'sha512']);
      for (let off = 0, i = 0; off < data.length; i++) {
        const chunk = data.subarray(off, off + sizes[i % sizes.length]!);
        const before = Buffer.from(chunk);
        await h.update(chunk);
        expect(chunk.equals(before)).toBe(true);
        off += chunk.length;
      }
      expect(await h.digest()).toEqual([md5(data), createHash('sha512').update(data).digest('hex')]);
    }
    expect((worker as unknown as { free: unknown[] }).free.length).toBeGreaterThan(0);
  });

  it("spreads a stream's algorithms over its threads, which all read the same slabs before reuse", async () => {
    const own = new HashThreads(2);
    const data = randomBytes((40 << 20) + 3);
    const h = own.open(['md5', 'sha512', 'sha1']);
    for (let off = 0; off < data.length; off += 300_000) await h.update(data.subarray(off, off + 300_000));
    expect(await h.digest()).toEqual([
      md5(data),
      createHash('sha512').update(data).digest('hex'),
      createHash('sha1').update(data).digest('hex'),
    ]);
    const internals = own as unknown as {
      workers: unknown[];
      reading: Map<number, unknown>;
      free: unknown[];
    };
    expect(internals.workers.filter(Boolean)).toHaveLength(2);
    expect(internals.reading.size).toBe(0);
    // Memory stays bounded: never more slabs kept than the 16 MiB a stream may fall behind allows.
    expect(internals.free.length).toBeLessThanOrEqual(32);
    const aborted = own.open(['md5', 'sha256']);
    aborted.update(Buffer.alloc(100));
    aborted.abort();
    await expect(aborted.digest()).rejects.toThrow('closed');
    await own.close();
  });

  it('lets its process exit once no stream awaits it, and not before a digest arrives', () => {
    const script = [
      `import { HashThreads } from ${JSON.stringify(new URL('./hash-threads.ts', import.meta.url).pathname)};`,
      `const s = new HashThreads().open(['md5']);`,
      `s.update(Buffer.alloc(2 << 20));`,
      `s.digest().then(([d]) => console.log(d));`,
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.signal).toBeNull();
    expect(run.stdout.trim()).toBe(md5(Buffer.alloc(2 << 20)));
    expect(run.status).toBe(0);
  });
});
