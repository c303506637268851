import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutcome, type SwiftFixture, startSwift } from './swift-fixture';

// D1: a segment overwritten with other bytes of the same size was served under the manifest's old ETag.
describe('an SLO whose segment was overwritten with different bytes', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
    for (const [i, bytes] of ['AAAAAAAAAA', 'BBBBBBBBBB', 'CCCCCCCCCC'].entries())
      expect((await swift.call('PUT', `/c/seg${i}`, {}, bytes)).status).toBe(201);
    const manifest = JSON.stringify([{ path: 'c/seg0' }, { path: 'c/seg1' }, { path: 'c/seg2' }]);
    expect((await swift.call('PUT', '/c/slo?multipart-manifest=put', {}, manifest)).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('cuts the body at the changed segment instead of serving the new bytes', async () => {
    const before = await swift.call('GET', '/c/slo');
    const etag = before.headers.get('etag');
    expect(await before.text()).toBe('AAAAAAAAAABBBBBBBBBBCCCCCCCCCC');
    expect((await swift.call('PUT', '/c/seg1', {}, 'ZZZZZZZZZZ')).status).toBe(201);
    const after = await swift.call('GET', '/c/slo');
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).toBe(etag);
    expect(after.headers.get('content-length')).toBe('30');
    const outcome = await readOutcome(after);
    expect(outcome.error).toBeDefined();
    expect(outcome.error).not.toBe('TimeoutError');
    expect(outcome.bytes.toString()).not.toContain('Z');
    expect(outcome.bytes.length).toBeLessThan(30);
  });

  it('answers 409 when the first segment changed', async () => {
    expect((await swift.call('PUT', '/c/seg0', {}, 'XXXXXXXXXX')).status).toBe(201);
    const got = await swift.call('GET', '/c/slo');
    expect(got.status).toBe(409);
    expect(await got.text()).toContain('Conflict');
    const ranged = await swift.call('GET', '/c/slo', { range: 'bytes=20-29' });
    expect(ranged.status).toBe(206);
    expect(await ranged.text()).toBe('CCCCCCCCCC');
  });
});
