import { createHmac, timingSafeEqual } from 'node:crypto';
import OAuth from 'oauth-1.0a';

// The signature base string and signing key come from oauth-1.0a (docs/adr/0020-oauth1-signatures.md);
// what it leaves to its caller is done here: HMAC-SHA1 itself, RFC 5849's base-URI normalization,
// reading the Authorization header, the timestamp window and a constant-time comparison.

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

/**
 * The base URI of RFC 5849 §3.4.1.2 (lower-case scheme and host, default port dropped), with the
 * request's query string kept: its parameters are signed too (§3.4.1.3.1).
 */
export function normalizeBaseUri(uri: string): string {
  const u = new URL(uri);
  const port =
    u.port && !((u.protocol === 'http:' && u.port === '80') || (u.protocol === 'https:' && u.port === '443'))
      ? `:${u.port}`
      : '';
  return `${u.protocol.toLowerCase()}//${u.hostname.toLowerCase()}${port}${u.pathname.replaceAll('//', '/')}${u.search}`;
}

const hmacSha1 = (baseString: string, key: string) =>
  createHmac('sha1', key).update(baseString).digest('base64');

/**
 * The HMAC-SHA1 signature of a request (RFC 5849 §3.4.2): `params` are the `oauth_*` parameters
 * (any `oauth_signature` among them is left out); query parameters of `uri` are signed with them.
 */
export function oauthSignature(
  method: string,
  uri: string,
  params: Record<string, string>,
  consumerSecret: string,
  tokenSecret = '',
): string {
  const { oauth_signature: _signature, ...signed } = params;
  const oauth = new OAuth({
    consumer: { key: params.oauth_consumer_key ?? '', secret: consumerSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: hmacSha1,
    // RFC 5849 §3.4.2: the key always carries the `&`, token secret or not.
    last_ampersand: true,
  });
  // The library merges into the object it is given: hand it a copy.
  return oauth.getSignature({ url: normalizeBaseUri(uri), method: method.toUpperCase() }, tokenSecret, {
    ...signed,
  } as unknown as OAuth.Data);
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
