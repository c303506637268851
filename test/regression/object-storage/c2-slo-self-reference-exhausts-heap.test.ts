import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SwiftFixture, startSwift } from './swift-fixture';

// C2: a manifest listing itself was stored, and every GET of it recursed until the heap ran out.
describe('an SLO manifest that refers to itself', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('is refused on PUT with upstream 400, and the object stays as it was', async () => {
    expect((await swift.call('PUT', '/c/self', {}, '0123456789')).status).toBe(201);
    for (const path of ['c/self', '/c/self']) {
      const put = await swift.call('PUT', '/c/self?multipart-manifest=put', {}, JSON.stringify([{ path }]));
      expect(put.status).toBe(400);
      expect(await put.text()).toBe('Index 0: manifest must not include itself as a segment\n');
    }
    const got = await swift.call('GET', '/c/self');
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('0123456789');
  });

  it('answers 409 without looping when the manifest reaches itself through a symlink', async () => {
    expect((await swift.call('PUT', '/c/poison', {}, '0123456789')).status).toBe(201);
    expect((await swift.call('PUT', '/c/to-poison', { 'x-symlink-target': 'c/poison' }, '')).status).toBe(
      201,
    );
    // The HEAD at PUT time follows the link to the plain object, so the manifest is stored...
    const put = await swift.call(
      'PUT',
      '/c/poison?multipart-manifest=put',
      {},
      JSON.stringify([{ path: 'c/to-poison' }]),
    );
    expect(put.status).toBe(201);
    // ...and its segment now resolves to the manifest itself, whose bytes are not the recorded segment.
    const got = await swift.call('GET', '/c/poison');
    expect(got.status).toBe(409);
    expect(await got.text()).toContain('Conflict');
    const head = await swift.call('HEAD', '/c/poison');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('10');
    // The cloud is still answering.
    expect((await swift.call('GET', '/c/self')).status).toBe(200);
  });
});
