import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutcome, type SwiftFixture, startSwift } from './swift-fixture';

// W2: `X-Object-Manifest: c` (or `c/`) was accepted; GET then listed the whole container, manifests
// included, and promised more bytes than it sent.
describe('X-Object-Manifest without a container/prefix form', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('is refused with upstream 400 on PUT', async () => {
    for (const value of ['c', 'c/', 'c/p?x=1', 'c/p&q', 'c//p']) {
      const put = await swift.call('PUT', '/c/dlo', { 'x-object-manifest': value }, '');
      expect(put.status, value).toBe(400);
      expect(await put.text()).toBe('X-Object-Manifest must be in the format container/prefix');
    }
    expect((await swift.call('HEAD', '/c/dlo')).status).toBe(404);
  });

  it('accepts container/prefix, and a GET sends exactly the bytes it promises', async () => {
    expect((await swift.call('PUT', '/c/part/1', {}, 'one-')).status).toBe(201);
    expect((await swift.call('PUT', '/c/part/2', {}, 'two')).status).toBe(201);
    expect((await swift.call('PUT', '/c/dlo', { 'x-object-manifest': 'c/part/' }, '')).status).toBe(201);
    const got = await swift.call('GET', '/c/dlo');
    expect(got.headers.get('content-length')).toBe('7');
    expect(await got.text()).toBe('one-two');
    // A segment added later is listed by the next GET; ranges count across segments.
    expect((await swift.call('PUT', '/c/part/0', {}, 'zero-')).status).toBe(201);
    const ranged = await swift.call('GET', '/c/dlo', { range: 'bytes=5-7' });
    expect(ranged.status).toBe(206);
    expect(await ranged.text()).toBe('one');
    // A manifest whose prefix also lists itself counts its own (empty) body as nothing.
    expect((await swift.call('PUT', '/c/part/self', { 'x-object-manifest': 'c/part/' }, '')).status).toBe(
      201,
    );
    const self = await swift.call('GET', '/c/part/self');
    const outcome = await readOutcome(self);
    expect(outcome.error).toBeUndefined();
    expect(outcome.bytes.toString()).toBe('zero-one-two');
  });
});
