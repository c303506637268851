import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SwiftFixture, startSwift } from './swift-fixture';

// Issue 19: SLO nesting on GET is bounded as upstream's max_slo_recursion_depth (10).
describe('nested SLO manifests', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('are read through 10 levels, and a GET needing an 11th answers 409', async () => {
    expect((await swift.call('PUT', '/c/leaf', {}, 'leafbytes')).status).toBe(201);
    let below = 'c/leaf';
    for (let level = 1; level <= 11; level++) {
      const put = await swift.call(
        'PUT',
        `/c/s${level}?multipart-manifest=put`,
        {},
        JSON.stringify([{ path: below }]),
      );
      expect(put.status).toBe(201);
      below = `c/s${level}`;
    }
    const ten = await swift.call('GET', '/c/s10');
    expect(ten.status).toBe(200);
    expect(await ten.text()).toBe('leafbytes');
    const eleven = await swift.call('GET', '/c/s11');
    expect(eleven.status).toBe(409);
    expect(await eleven.text()).toContain('Conflict');
    // HEAD answers from what the manifest recorded and reads nothing below it.
    const head = await swift.call('HEAD', '/c/s11');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('9');
  });
});
