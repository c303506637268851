import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_WITHIN_MS, type SwiftFixture, startSwift } from './swift-fixture';

// H1: a TempURL GET put the decoded object name (or `filename=`) raw into Content-Disposition;
// Node refused to write it on the hijacked socket and the client waited forever.
describe('a TempURL download whose filename is not plain ASCII', () => {
  let swift: SwiftFixture;
  const expires = Math.floor(Date.now() / 1000) + 600;
  /** A signed URL for GET of `path` (decoded, below the account), plus extra query text. */
  const tempUrl = (path: string, extra = '') => {
    const full = `${swift.accountPath}${path}`;
    const sig = createHmac('sha256', 'k1').update(`GET\n${expires}\n${full}`).digest('hex');
    const quoted = full.split('/').map(encodeURIComponent).join('/');
    return `${swift.cloud.url('object-store')}${quoted}?temp_url_sig=${sig}&temp_url_expires=${expires}${extra}`;
  };
  const get = (url: string) => fetch(url, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });

  beforeAll(async () => {
    swift = await startSwift();
    expect((await swift.call('POST', '', { 'x-account-meta-temp-url-key': 'k1' })).status).toBe(204);
    expect((await swift.call('PUT', `/c/${encodeURIComponent('日本.txt')}`, {}, 'hello')).status).toBe(201);
    expect((await swift.call('PUT', '/c/plain.txt', {}, 'plain')).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('answers 200 with the object name quoted in Content-Disposition', async () => {
    const res = await get(tempUrl('/c/日本.txt'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="%E6%97%A5%E6%9C%AC.txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt`,
    );
  });

  it('quotes a filename= given in the query, control characters included', async () => {
    const cases: [string, string][] = [
      [
        '&filename=%E6%97%A5%E6%9C%AC',
        `attachment; filename="%E6%97%A5%E6%9C%AC"; filename*=UTF-8''%E6%97%A5%E6%9C%AC`,
      ],
      ['&filename=a%0Ab', `attachment; filename="a%0Ab"; filename*=UTF-8''a%0Ab`],
      [
        '&filename=My+Test+File.pdf',
        `attachment; filename="My Test File.pdf"; filename*=UTF-8''My%20Test%20File.pdf`,
      ],
      [
        '&inline&filename=%E6%97%A5%E6%9C%AC',
        `inline; filename="%E6%97%A5%E6%9C%AC"; filename*=UTF-8''%E6%97%A5%E6%9C%AC`,
      ],
      ['&inline', 'inline'],
    ];
    for (const [extra, disposition] of cases) {
      const res = await get(tempUrl('/c/plain.txt', extra));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(disposition);
      await res.text();
    }
  });

  it('cannot be made to inject a header', async () => {
    const res = await get(tempUrl('/c/plain.txt', '&filename=a%0D%0ASet-Cookie:%20evil=1'));
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="a%0D%0ASet-Cookie%3A evil%3D1"; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20evil%3D1`,
    );
    await res.text();
  });
});
