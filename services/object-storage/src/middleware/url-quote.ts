/** The decoding side of `urlQuote` (@nimbus/http), and a check for text already quoted. */
/** Bytes Python's `urllib.parse.quote` never escapes. */
const ALWAYS_SAFE = /^[A-Za-z0-9_.\-~]$/;

/**
 * Decodes `%XX` escapes as Python's `unquote`: a `%` not followed by two hex digits stays as it is
 * and bytes that are not UTF-8 become U+FFFD, so it never throws.
 */
export function swiftUnquote(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    const parts = value.split(/(%[0-9A-Fa-f]{2})/);
    const bytes = parts.map((part, i) =>
      i % 2 === 1 ? Buffer.of(Number.parseInt(part.slice(1), 16)) : Buffer.from(part, 'utf8'),
    );
    return Buffer.concat(bytes).toString('utf8');
  }
}

/** Whether a value is already in quoted form (nothing in it that `urlQuote` from @nimbus/http would escape but `%`). */
export function isQuoted(value: string, safe = '/'): boolean {
  for (const c of value) if (c !== '%' && !ALWAYS_SAFE.test(c) && !safe.includes(c)) return false;
  return true;
}
