import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SwiftFixture, startSwift } from './swift-fixture';

const TOO_MANY = 'Too many levels of symbolic links, maximum allowed is 2';

// Issue 19: following symlinks is bounded by symloop_max (2): loops and long chains answer 409.
describe('symlinks that loop or chain too far', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('answer 409 for a loop, on GET and HEAD', async () => {
    expect((await swift.call('PUT', '/c/a', { 'x-symlink-target': 'c/b' }, '')).status).toBe(201);
    expect((await swift.call('PUT', '/c/b', { 'x-symlink-target': 'c/a' }, '')).status).toBe(201);
    const got = await swift.call('GET', '/c/a');
    expect(got.status).toBe(409);
    expect(await got.text()).toBe(TOO_MANY);
    expect((await swift.call('HEAD', '/c/b')).status).toBe(409);
  });

  it('follow two links in a row but not three', async () => {
    expect((await swift.call('PUT', '/c/obj', {}, 'end')).status).toBe(201);
    expect((await swift.call('PUT', '/c/l1', { 'x-symlink-target': 'c/obj' }, '')).status).toBe(201);
    expect((await swift.call('PUT', '/c/l2', { 'x-symlink-target': 'c/l1' }, '')).status).toBe(201);
    expect((await swift.call('PUT', '/c/l3', { 'x-symlink-target': 'c/l2' }, '')).status).toBe(201);
    expect(await (await swift.call('GET', '/c/l2')).text()).toBe('end');
    const three = await swift.call('GET', '/c/l3');
    expect(three.status).toBe(409);
    expect(await three.text()).toBe(TOO_MANY);
  });

  it('refuse a link to itself with 400', async () => {
    const self = await swift.call('PUT', '/c/me', { 'x-symlink-target': 'c/me' }, '');
    expect(self.status).toBe(400);
    expect(await self.text()).toBe('Symlink cannot target itself');
  });

  it('to a large object are followed and the large object assembled', async () => {
    expect((await swift.call('PUT', '/c/s0', {}, 'abc')).status).toBe(201);
    expect((await swift.call('PUT', '/c/s1', {}, 'def')).status).toBe(201);
    const manifest = JSON.stringify([{ path: 'c/s0' }, { path: 'c/s1' }]);
    expect((await swift.call('PUT', '/c/slo?multipart-manifest=put', {}, manifest)).status).toBe(201);
    expect((await swift.call('PUT', '/c/to-slo', { 'x-symlink-target': 'c/slo' }, '')).status).toBe(201);
    const got = await swift.call('GET', '/c/to-slo');
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('abcdef');
  });
});
