import { describe, expect, it } from 'vitest';
import { chunksOf, newRequest, type SwiftRequest, type SwiftResponse } from '../common/swift-http';
import { dynamicLargeObject } from './dynamic-large-object';

const SEGMENTS = 10_001;
const names = Array.from({ length: SEGMENTS }, (_, i) => `p/${String(i).padStart(5, '0')}`);

/** The rest of the pipeline: a manifest, a segment container listed 10,000 rows a page, 1-byte segments. */
function fakeStore(listings: string[]) {
  return async (req: SwiftRequest): Promise<SwiftResponse> => {
    if (req.path === '/v1/AUTH_a/c/dlo')
      return {
        status: 200,
        headers: { 'x-object-manifest': 'segs/p/', 'content-length': '0', etag: '"x"' },
        body: '',
      };
    if (req.path === '/v1/AUTH_a/segs') {
      const marker = req.query.get('marker') ?? '';
      listings.push(marker);
      const rows = names.filter((n) => n > marker).slice(0, 10_000);
      return {
        status: 200,
        headers: {},
        body: JSON.stringify(rows.map((name) => ({ name, hash: 'h', bytes: 1 }))),
      };
    }
    if (req.query.get('multipart-manifest') !== 'get') return { status: 400, headers: {} };
    return { status: 200, headers: { 'content-length': '1', etag: '"h"' }, body: Buffer.from('x') };
  };
}

describe('a DLO with more segments than one listing page', () => {
  it('is sent whole and chunked, without length or ETag, the next page listed as the body goes', async () => {
    const listings: string[] = [];
    const handler = dynamicLargeObject()(fakeStore(listings), () => async () => ({
      status: 500,
      headers: {},
    }));
    const head = await handler(newRequest('HEAD', '/v1/AUTH_a/c/dlo'));
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBeUndefined();
    expect(head.headers.etag).toBeUndefined();
    listings.length = 0;
    const res = await handler(newRequest('GET', '/v1/AUTH_a/c/dlo', { headers: { range: 'bytes=0-9' } }));
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBeUndefined();
    expect(listings).toEqual(['']);
    let bytes = 0;
    for await (const chunk of chunksOf(res.body)) bytes += chunk.length;
    expect(bytes).toBe(SEGMENTS);
    expect(listings).toEqual(['', names[9_999]]);
  });
});
