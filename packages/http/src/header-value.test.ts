import { describe, expect, it } from 'vitest';
import {
  assertHeaderValues,
  contentDisposition,
  InvalidHeaderValueError,
  isValidHeaderValue,
  urlQuote,
} from './header-value';

describe('header values', () => {
  it('accepts what Node can write and refuses CR, LF, NUL and characters past U+00FF', () => {
    for (const ok of ['plain', 'tab\there', 'caf\u00e9 (latin-1 byte)', '', 'a; b="c"'])
      expect(isValidHeaderValue(ok)).toBe(true);
    for (const bad of ['日本', 'a\nb', 'a\r\nSet-Cookie: x=y', 'nul\u0000', 'del\u007f'])
      expect(isValidHeaderValue(bad)).toBe(false);
  });

  it('names the first header that cannot be written', () => {
    expect(() => assertHeaderValues({ etag: 'x', 'x-n': 3, 'x-a': ['ok', 'b\nc'] })).toThrow(
      InvalidHeaderValueError,
    );
    try {
      assertHeaderValues({ 'content-disposition': 'attachment; filename="日本"' });
    } catch (err) {
      expect((err as InvalidHeaderValueError).header).toBe('content-disposition');
    }
    expect(() => assertHeaderValues({ a: 'b', c: undefined, d: 4 })).not.toThrow();
  });

  it('quotes as Python urllib.parse.quote over UTF-8', () => {
    expect(urlQuote('/v1/AUTH_a/web/日本/')).toBe('/v1/AUTH_a/web/%E6%97%A5%E6%9C%AC/');
    expect(urlQuote('a b+c&d~e_f.g-h')).toBe('a%20b%2Bc%26d~e_f.g-h');
    expect(urlQuote('a/b', '')).toBe('a%2Fb');
    expect(urlQuote('x\r\ny')).toBe('x%0D%0Ay');
  });

  it("writes TempURL's Content-Disposition, valid for any name", () => {
    expect(contentDisposition('attachment', 'My Test File.pdf')).toBe(
      `attachment; filename="My Test File.pdf"; filename*=UTF-8''My%20Test%20File.pdf`,
    );
    expect(contentDisposition('inline', '日本.txt')).toBe(
      `inline; filename="%E6%97%A5%E6%9C%AC.txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt`,
    );
    for (const name of ['a\nb', 'a\r\nSet-Cookie: x', 'q"uote', '日本'])
      expect(isValidHeaderValue(contentDisposition('attachment', name))).toBe(true);
    expect(contentDisposition('attachment', 'q"uote')).toContain('filename="q%22uote"');
  });
});
