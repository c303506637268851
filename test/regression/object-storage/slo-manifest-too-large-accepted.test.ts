import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SwiftFixture, startSwift } from './swift-fixture';

// Issue 19: max_manifest_segments (1000) and max_manifest_size (8 MiB) bound an SLO PUT, as upstream.
describe('an SLO manifest PUT over the limits', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('is refused with 413 when it lists more than 1000 segments', async () => {
    expect((await swift.call('PUT', '/c/seg', {}, 'x')).status).toBe(201);
    const body = JSON.stringify(Array.from({ length: 1001 }, () => ({ path: 'c/seg' })));
    const put = await swift.call('PUT', '/c/many?multipart-manifest=put', {}, body);
    expect(put.status).toBe(413);
    expect(await put.text()).toBe('Number of object-backed segments must be <= 1000');
    expect((await swift.call('HEAD', '/c/many')).status).toBe(404);
  });

  it('is refused with 413 when its body is larger than 8 MiB', async () => {
    const body = Buffer.alloc(8 * 1024 * 1024 + 1, 0x20);
    const put = await swift.call('PUT', '/c/big?multipart-manifest=put', {}, body);
    expect(put.status).toBe(413);
    expect(await put.text()).toBe('Manifest File > 8388608 bytes');
    expect((await swift.call('HEAD', '/c/big')).status).toBe(404);
  });
});
