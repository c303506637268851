import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_WITHIN_MS, type SwiftFixture, startSwift } from './swift-fixture';

// H3: static web's redirect to the path plus `/` carried the decoded path in Location, which
// Node refused to write: anonymous GETs of a Unicode pseudo-directory or container hung.
describe('static web redirects for names that are not plain ASCII', () => {
  let swift: SwiftFixture;
  const web = {
    'x-container-read': '.r:*,.rlistings',
    'x-container-meta-web-listings': 'true',
    'x-container-meta-web-index': 'index.html',
  };
  const anonymous = (path: string) =>
    fetch(`${swift.cloud.url('object-store')}${swift.accountPath}${path}`, {
      redirect: 'manual',
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
  /** The Location's path, whether the server wrote it absolute or relative. */
  const locationPath = (res: Response) => new URL(res.headers.get('location')!, 'http://x').pathname;

  beforeAll(async () => {
    swift = await startSwift();
    expect((await swift.call('PUT', '/web', web)).status).toBe(201);
    expect((await swift.call('PUT', '/web/%E6%97%A5%E6%9C%AC/x.html', {}, 'x')).status).toBe(201);
    expect((await swift.call('PUT', '/%E3%82%A6%E3%82%A7%E3%83%96', web)).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('answers 301 with a quoted Location for a pseudo-directory', async () => {
    const res = await anonymous('/web/%E6%97%A5%E6%9C%AC');
    expect(res.status).toBe(301);
    expect(locationPath(res)).toBe(`${swift.accountPath}/web/%E6%97%A5%E6%9C%AC/`);
    await res.text();
  });

  it('answers 301 with a quoted Location for a container', async () => {
    const res = await anonymous('/%E3%82%A6%E3%82%A7%E3%83%96');
    expect(res.status).toBe(301);
    expect(locationPath(res)).toBe(`${swift.accountPath}/%E3%82%A6%E3%82%A7%E3%83%96/`);
    await res.text();
    const listing = await anonymous('/web/%E6%97%A5%E6%9C%AC/');
    expect(listing.status).toBe(200);
    expect(await listing.text()).toContain('x.html');
  });
});
