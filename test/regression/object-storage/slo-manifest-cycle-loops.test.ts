import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SwiftFixture, startSwift } from './swift-fixture';

// Issue 19: nested manifests that form a cycle (A -> B -> A) must not be followed forever.
describe('SLO manifests that nest in a cycle', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('answer GET with 409 Conflict, bounded by the nesting depth', async () => {
    const manifest = (path: string) => JSON.stringify([{ path }]);
    expect((await swift.call('PUT', '/c/seg', {}, 'abcdefghij')).status).toBe(201);
    expect((await swift.call('PUT', '/c/a?multipart-manifest=put', {}, manifest('c/seg'))).status).toBe(201);
    expect((await swift.call('PUT', '/c/b?multipart-manifest=put', {}, manifest('c/a'))).status).toBe(201);
    expect(await (await swift.call('GET', '/c/b')).text()).toBe('abcdefghij');
    // A now lists B, which lists A.
    expect((await swift.call('PUT', '/c/a?multipart-manifest=put', {}, manifest('c/b'))).status).toBe(201);
    for (const name of ['a', 'b']) {
      const got = await swift.call('GET', `/c/${name}`);
      expect(got.status).toBe(409);
      expect(await got.text()).toBe(
        '<html><h1>Conflict</h1><p>There was a conflict when trying to complete your request.</p></html>',
      );
    }
    const ranged = await swift.call('GET', '/c/a', { range: 'bytes=2-4' });
    expect(ranged.status).toBe(409);
  });
});
