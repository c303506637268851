import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutcome, type SwiftFixture, startSwift } from './swift-fixture';

// H4: after a segment shrank, GET promised the manifest's Content-Length, sent fewer bytes and left
// the connection open, so the client waited forever.
describe('an SLO whose segment shrank', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
    for (const [i, bytes] of ['AAAAAAAAAA', 'BBBBBBBBBB', 'CCCCCCCCCC'].entries())
      expect((await swift.call('PUT', `/c/seg${i}`, {}, bytes)).status).toBe(201);
    const manifest = JSON.stringify([{ path: 'c/seg0' }, { path: 'c/seg1' }, { path: 'c/seg2' }]);
    expect((await swift.call('PUT', '/c/slo?multipart-manifest=put', {}, manifest)).status).toBe(201);
    expect(
      (
        await swift.call(
          'PUT',
          '/c/ranged?multipart-manifest=put',
          {},
          JSON.stringify([{ path: 'c/seg0' }, { path: 'c/seg2', range: '2-8' }]),
        )
      ).status,
    ).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('cuts the connection at once instead of leaving the client waiting', async () => {
    expect((await swift.call('PUT', '/c/seg1', {}, 'YYYY')).status).toBe(201);
    const started = Date.now();
    const got = await swift.call('GET', '/c/slo');
    expect(got.status).toBe(200);
    const outcome = await readOutcome(got);
    expect(outcome.error).toBeDefined();
    expect(outcome.error).not.toBe('TimeoutError');
    expect(outcome.bytes.toString()).toBe('AAAAAAAAAA');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('cuts a ranged segment that shrank below its range, and answers 409 for a first segment gone', async () => {
    expect((await swift.call('PUT', '/c/seg2', {}, 'CCC')).status).toBe(201);
    const got = await swift.call('GET', '/c/ranged');
    const outcome = await readOutcome(got);
    expect(outcome.error).toBeDefined();
    expect(outcome.error).not.toBe('TimeoutError');
    expect((await swift.call('DELETE', '/c/seg0')).status).toBe(204);
    const gone = await swift.call('GET', '/c/slo');
    expect(gone.status).toBe(409);
    await gone.text();
  });
});
