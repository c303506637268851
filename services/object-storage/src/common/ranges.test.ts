import { describe, expect, it } from 'vitest';
import { applyRange, checkConditions, parseRange } from './ranges';
import { readBody } from './swift-http';

describe('ranges', () => {
  it('parses single, suffix, open and multiple ranges as swob', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual([[0, 9]]);
    expect(parseRange('bytes=-10', 100)).toEqual([[90, 99]]);
    expect(parseRange('bytes=95-', 100)).toEqual([[95, 99]]);
    expect(parseRange('bytes=0-0,50-60', 100)).toEqual([
      [0, 0],
      [50, 60],
    ]);
    expect(parseRange('bytes=90-200', 100)).toEqual([[90, 99]]);
  });

  it('ignores malformed headers and refuses unsatisfiable ones', () => {
    expect(parseRange('bytes=9-1', 100)).toBeUndefined();
    expect(parseRange('items=0-1', 100)).toBeUndefined();
    expect(parseRange('bytes=-', 100)).toBeUndefined();
    expect(parseRange('bytes=200-300', 100)).toEqual([]);
    const res = applyRange({ status: 200, headers: {} }, 'bytes=200-300', 100, () => '');
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe('bytes */100');
  });

  it('answers several ranges as multipart/byteranges', async () => {
    const data = Buffer.from('0123456789');
    const res = applyRange(
      { status: 200, headers: { 'content-type': 'text/plain' } },
      'bytes=0-1,8-9',
      10,
      (s, e) => data.subarray(s, e + 1),
    );
    expect(res.status).toBe(206);
    const body = (await readBody(res.body)).toString();
    expect(res.headers['content-type']).toMatch(/^multipart\/byteranges;boundary=/);
    expect(body).toContain('Content-Range: bytes 0-1/10\r\n\r\n01\r\n');
    expect(body).toContain('Content-Range: bytes 8-9/10\r\n\r\n89\r\n');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(body));
  });

  it('evaluates If-Match and If-None-Match, star included', () => {
    expect(checkConditions({ 'if-none-match': 'abc' }, 'abc', 0, 'GET')?.status).toBe(304);
    expect(checkConditions({ 'if-none-match': '*' }, 'abc', 0, 'GET')?.status).toBe(304);
    expect(checkConditions({ 'if-match': '"zzz"' }, 'abc', 0, 'GET')?.status).toBe(412);
    expect(checkConditions({ 'if-match': '*' }, 'abc', 0, 'GET')).toBeUndefined();
  });
});
