import type { OutgoingHttpHeader } from 'node:http';

/**
 * Anything outside an RFC 7230 `field-value`: a control character other than HTAB (CR and LF
 * among them), DEL, or a character past U+00FF, which has no single byte on the wire. The same
 * rule Node's `writeHead` enforces by throwing, so a value that passes can always be written.
 */
const NOT_FIELD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/** Whether `value` may be written as a header value as it is. */
export function isValidHeaderValue(value: string): boolean {
  return !NOT_FIELD_VALUE.test(value);
}

/**
 * A response header value that cannot be written (raw UTF-8 text, CR/LF). It is a server bug:
 * whoever built the value should have quoted it (`urlQuote`, `contentDisposition`), so the HTTP
 * layer answers a logged 500 rather than let Node throw halfway through writing the response.
 */
export class InvalidHeaderValueError extends Error {
  readonly code = 'HTTP_INVALID_HEADER_VALUE';
  constructor(readonly header: string) {
    super(`Response header ${header} has a value that is not a valid HTTP field value`);
    this.name = 'InvalidHeaderValueError';
  }
}

/** Throws `InvalidHeaderValueError` for the first header whose value cannot be written. */
export function assertHeaderValues(headers: Readonly<Record<string, OutgoingHttpHeader | undefined>>): void {
  for (const name in headers) {
    const value = headers[name];
    if (typeof value === 'string') {
      if (NOT_FIELD_VALUE.test(value)) throw new InvalidHeaderValueError(name);
    } else if (Array.isArray(value)) {
      for (const v of value) if (NOT_FIELD_VALUE.test(v)) throw new InvalidHeaderValueError(name);
    }
  }
}

/** Bytes Python's `urllib.parse.quote` never escapes. */
const ALWAYS_SAFE = /^[A-Za-z0-9_.\-~]$/;

/**
 * Percent-encodes text as Python's `urllib.parse.quote` does over its UTF-8 bytes (what OpenStack
 * services write in `Location`, `Content-Location` and `X-Symlink-Target`): letters, digits,
 * `_.-~` and the `safe` characters stay, every other byte becomes `%XX`. The result is ASCII, so
 * it is always a valid header value.
 */
export function urlQuote(value: string, safe = '/'): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out +=
      byte < 0x80 && (ALWAYS_SAFE.test(c) || safe.includes(c))
        ? c
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * A `Content-Disposition` value naming a file, as Swift's TempURL writes it (RFC 6266 with the
 * RFC 5987 `filename*`): `attachment; filename="<quoted, spaces kept>"; filename*=UTF-8''<quoted>`.
 * Any name, Unicode or control characters included, gives a valid header value.
 */
export function contentDisposition(type: 'attachment' | 'inline', filename: string): string {
  return `${type}; filename="${urlQuote(filename, ' /')}"; filename*=UTF-8''${urlQuote(filename)}`;
}
