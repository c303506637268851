import { createHmac, timingSafeEqual } from 'node:crypto';

/** RFC 5849 percent-encoding: only unreserved characters stay as they are. */
export function oauthEscape(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Reads the `OAuth k="v", ...` Authorization header into its (decoded) parameters. */
export function parseOAuthHeader(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header || !/^OAuth\s/i.test(header)) return out;
  for (const m of header.slice(6).matchAll(/([A-Za-z0-9_%.~-]+)\s*=\s*"([^"]*)"/g)) {
    const key = decodeURIComponent(m[1]!);
    if (key === 'realm') continue;
    out[key] = decodeURIComponent(m[2]!);
  }
  return out;
}

/** The base URI of RFC 5849 §3.4.1.2: lower-case scheme and host, default port dropped, no query. */
export function normalizeBaseUri(uri: string): string {
  const u = new URL(uri);
  const port =
    u.port && !((u.protocol === 'http:' && u.port === '80') || (u.protocol === 'https:' && u.port === '443'))
      ? `:${u.port}`
      : '';
  return `${u.protocol.toLowerCase()}//${u.hostname.toLowerCase()}${port}${u.pathname.replaceAll('//', '/')}`;
}

/** The HMAC-SHA1 signature of a request (RFC 5849 §3.4.2). */
export function oauthSignature(
  method: string,
  uri: string,
  params: Record<string, string>,
  consumerSecret: string,
  tokenSecret = '',
): string {
  const pairs = Object.entries(params)
    .filter(([k]) => k !== 'oauth_signature')
    .map(([k, v]) => [oauthEscape(k), oauthEscape(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  const normalized = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  const base = `${oauthEscape(method.toUpperCase())}&${oauthEscape(normalizeBaseUri(uri))}&${oauthEscape(normalized)}`;
  return createHmac('sha1', `${oauthEscape(consumerSecret)}&${oauthEscape(tokenSecret)}`)
    .update(base)
    .digest('base64');
}

/**
 * Verifies a signed OAuth1 request: HMAC-SHA1 only, timestamp within `skewSeconds` of now, and a
 * constant-time signature comparison.
 */
export function verifyOAuthRequest(
  input: {
    method: string;
    uri: string;
    params: Record<string, string>;
    consumerSecret: string;
    tokenSecret?: string;
  },
  nowSeconds = Date.now() / 1000,
  skewSeconds = 600,
): boolean {
  const p = input.params;
  if (p.oauth_signature_method !== 'HMAC-SHA1' || !p.oauth_signature || !p.oauth_nonce) return false;
  const ts = Number(p.oauth_timestamp);
  if (!Number.isFinite(ts) || Math.abs(nowSeconds - ts) > skewSeconds) return false;
  const expected = Buffer.from(
    oauthSignature(input.method, input.uri, p, input.consumerSecret, input.tokenSecret),
  );
  const given = Buffer.from(p.oauth_signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
