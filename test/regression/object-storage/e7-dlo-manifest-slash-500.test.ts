import {
  newRequest,
  type SwiftRequest,
  type SwiftResponse,
} from '../../../services/object-storage/src/common/swift-http';
import { dynamicLargeObject } from '../../../services/object-storage/src/middleware/dynamic-large-object';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SwiftFixture, startSwift } from './swift-fixture';

const FORMAT = 'X-Object-Manifest must be in the format container/prefix';

// E7: `X-Object-Manifest: /` was stored, and every GET of the object then failed with a 500.
describe('X-Object-Manifest naming no container', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('is refused with upstream 400 on PUT and POST, and nothing is stored', async () => {
    for (const value of ['/', '//', '/prefix']) {
      const put = await swift.call('PUT', '/c/dlo', { 'x-object-manifest': value }, '');
      expect(put.status).toBe(400);
      expect(await put.text()).toBe(FORMAT);
    }
    expect((await swift.call('GET', '/c/dlo')).status).toBe(404);
    expect((await swift.call('PUT', '/c/plain', {}, 'x')).status).toBe(201);
    const post = await swift.call('POST', '/c/plain', { 'x-object-manifest': '/' });
    expect(post.status).toBe(400);
    expect(await post.text()).toBe(FORMAT);
    expect(await (await swift.call('GET', '/c/plain')).text()).toBe('x');
  });

  it('answers 409, not a 500, for such a manifest stored before the check', async () => {
    const handler = dynamicLargeObject()(
      async (req: SwiftRequest): Promise<SwiftResponse> =>
        req.path.endsWith('/dlo')
          ? { status: 200, headers: { 'x-object-manifest': '/', 'content-length': '0' }, body: '' }
          : { status: 404, headers: {} },
      () => async () => ({ status: 404, headers: {} }),
    );
    for (const method of ['GET', 'HEAD']) {
      const res = await handler(newRequest(method, '/v1/AUTH_x/c/dlo'));
      expect(res.status).toBe(409);
    }
  });
});
