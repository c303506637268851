import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SwiftFixture, startSwift } from './swift-fixture';

// W1: the gatekeeper tested the raw header name and `_` was folded into `-` afterwards, so
// `X-Object-Sysmeta_Container-Update-Override-Etag` reached the object server as sysmeta.
describe('internal headers spelled with underscores', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('cannot override the hash the container listing shows', async () => {
    const put = await swift.call(
      'PUT',
      '/c/o',
      { 'X-Object-Sysmeta_Container-Update-Override-Etag': 'evil-etag' },
      'data',
    );
    expect(put.status).toBe(201);
    const etag = put.headers.get('etag')!.replaceAll('"', '');
    const listing = (await (await swift.call('GET', '/c?format=json')).json()) as {
      name: string;
      hash: string;
    }[];
    expect(listing.find((o) => o.name === 'o')?.hash).toBe(etag);
    const head = await swift.call('HEAD', '/c/o');
    for (const name of head.headers.keys()) expect(name).not.toMatch(/sysmeta/);
  });

  it('cannot set account ACL sysmeta, on PUT or POST', async () => {
    const acl = JSON.stringify({ 'read-only': ['*'], admin: ['*'] });
    for (const method of ['POST', 'PUT']) {
      const res = await swift.call(method, '', { 'X-Account-Sysmeta_Core-Access-Control': acl });
      await res.text();
    }
    const account = await swift.call('HEAD', '');
    expect(account.headers.get('x-account-access-control')).toBeNull();
    for (const name of account.headers.keys()) expect(name).not.toMatch(/sysmeta/);
  });

  it('are still folded for user metadata, as WSGI does', async () => {
    expect((await swift.call('POST', '/c/o', { 'X-Object-Meta-a_b': 'v' })).status).toBe(202);
    expect((await swift.call('HEAD', '/c/o')).headers.get('x-object-meta-a-b')).toBe('v');
  });
});
