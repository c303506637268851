import { createHash, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Md5Worker } from './md5-worker';

describe('MD5 worker', () => {
  const worker = new Md5Worker();
  afterAll(() => worker.close());

  it('hashes a stream of odd-sized chunks as createHash does, and callers may reuse each chunk at once', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 777);
    const stream = worker.open();
    const scratch = Buffer.alloc(70_001);
    for (let at = 0; at < data.length; at += scratch.length) {
      const n = data.copy(scratch, 0, at);
      await stream.update(scratch.subarray(0, n));
      scratch.fill(0);
    }
    expect(await stream.digest()).toBe(createHash('md5').update(data).digest('hex'));
  });

  it('keeps streams apart and hashes small announced bodies on the caller thread', async () => {
    const a = worker.open();
    const b = worker.open();
    const small = worker.open(3);
    a.update(Buffer.from('abc'));
    b.update(Buffer.from('xyz'));
    small.update(Buffer.from('abc'));
    expect(await a.digest()).toBe(createHash('md5').update('abc').digest('hex'));
    expect(await b.digest()).toBe(createHash('md5').update('xyz').digest('hex'));
    expect(await small.digest()).toBe(createHash('md5').update('abc').digest('hex'));
    expect(await worker.open().digest()).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });

  it('asks the caller to wait when far behind, and lets it go on once the thread caught up', async () => {
    const stream = worker.open();
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
    expect(await stream.digest()).toBe(
      createHash('md5')
        .update(Buffer.alloc(40 * 1024 * 1024, 1))
        .digest('hex'),
    );
  });

  it('fails an unfinished stream when the thread stops', async () => {
    const own = new Md5Worker();
    const stream = own.open();
    stream.update(Buffer.from('abc'));
    await own.close();
    await expect(stream.digest()).rejects.toThrow();
  });
});
