import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SwiftFixture, startSwift } from './swift-fixture';

// H2: a symlink target was stored decoded and echoed raw in headers, so reading a link to `日本`
// or to `a\nb` never answered.
describe('a symlink whose target is not plain ASCII', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('is stored and echoed URL-quoted, and followed', async () => {
    expect((await swift.call('PUT', '/c/%E6%97%A5%E6%9C%AC', {}, 'nihon')).status).toBe(201);
    const put = await swift.call('PUT', '/c/link', { 'x-symlink-target': 'c/%E6%97%A5%E6%9C%AC' }, '');
    expect(put.status).toBe(201);
    const got = await swift.call('GET', '/c/link');
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('nihon');
    expect(got.headers.get('content-location')).toBe(`${swift.accountPath}/c/%E6%97%A5%E6%9C%AC`);
    const head = await swift.call('HEAD', '/c/link');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-location')).toBe(`${swift.accountPath}/c/%E6%97%A5%E6%9C%AC`);
    const raw = await swift.call('GET', '/c/link?symlink=get');
    expect(raw.status).toBe(200);
    expect(raw.headers.get('x-symlink-target')).toBe('c/%E6%97%A5%E6%9C%AC');
    await raw.text();
    const post = await swift.call('POST', '/c/link', { 'x-object-meta-k': 'v' });
    expect(post.status).toBe(307);
    expect(post.headers.get('location')).toBe(`${swift.accountPath}/c/%E6%97%A5%E6%9C%AC`);
    await post.text();
  });

  it('with a control character answers every read, quoted', async () => {
    const put = await swift.call('PUT', '/c/nl', { 'x-symlink-target': 'c/a%0Ab' }, '');
    expect(put.status).toBe(201);
    const got = await swift.call('GET', '/c/nl');
    expect(got.status).toBe(404);
    expect(got.headers.get('content-location')).toBe(`${swift.accountPath}/c/a%0Ab`);
    await got.text();
    expect((await swift.call('HEAD', '/c/nl')).status).toBe(404);
    const raw = await swift.call('HEAD', '/c/nl?symlink=get');
    expect(raw.headers.get('x-symlink-target')).toBe('c/a%0Ab');
    const post = await swift.call('POST', '/c/nl', {});
    expect(post.status).toBe(307);
    expect(post.headers.get('location')).toBe(`${swift.accountPath}/c/a%0Ab`);
    await post.text();
    expect((await swift.call('PUT', '/c/a%0Ab', {}, 'newline')).status).toBe(201);
    expect(await (await swift.call('GET', '/c/nl')).text()).toBe('newline');
  });

  it('quotes what a client sent unquoted, as upstream', async () => {
    const put = await swift.call('PUT', '/c/spaced', { 'x-symlink-target': 'c/with space' }, '');
    expect(put.status).toBe(201);
    const raw = await swift.call('HEAD', '/c/spaced?symlink=get');
    expect(raw.headers.get('x-symlink-target')).toBe('c/with%20space');
  });
});
