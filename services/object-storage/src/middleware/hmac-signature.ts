import { createHmac, timingSafeEqual } from 'node:crypto';
import type { InfoCache } from '../proxy/container-info';

/** Digests TempURL and FormPost accept, as `/info` lists them. */
export const ALLOWED_DIGESTS = ['sha1', 'sha256', 'sha512'] as const;
type Digest = (typeof ALLOWED_DIGESTS)[number];

const HEX_LENGTHS: Record<number, Digest> = { 40: 'sha1', 64: 'sha256', 128: 'sha512' };

/**
 * Reads a signature as upstream: hex of a length naming its digest, or `<digest>:<base64>`.
 * Answers the digest and the raw bytes, or undefined when malformed.
 */
export function parseSignature(sig: string): { digest: Digest; bytes: Buffer } | undefined {
  const colon = sig.indexOf(':');
  if (colon > 0) {
    const digest = sig.slice(0, colon) as Digest;
    if (!ALLOWED_DIGESTS.includes(digest)) return undefined;
    const b64 = sig
      .slice(colon + 1)
      .replace(/-/g, '+')
      .replace(/_/g, '/');
    return { digest, bytes: Buffer.from(b64, 'base64') };
  }
  const digest = HEX_LENGTHS[sig.length];
  if (!digest || !/^[0-9a-fA-F]+$/.test(sig)) return undefined;
  return { digest, bytes: Buffer.from(sig, 'hex') };
}

/** Whether `sig` is the HMAC of `message` under any of `keys`. */
export function signatureMatches(sig: string, message: string, keys: readonly string[]): boolean {
  const parsed = parseSignature(sig);
  if (!parsed) return false;
  return keys.some((key) => {
    const mac = createHmac(parsed.digest, key).update(message).digest();
    return mac.length === parsed.bytes.length && timingSafeEqual(mac, parsed.bytes);
  });
}

/** The account's and the container's `Temp-URL-Key` and `Temp-URL-Key-2`. */
export async function tempUrlKeys(info: InfoCache, account: string, container?: string): Promise<string[]> {
  const keys: string[] = [];
  const a = await info.account(account);
  for (const k of ['temp-url-key', 'temp-url-key-2']) if (a.meta[k]) keys.push(a.meta[k]!);
  if (container) {
    const c = await info.container(account, container);
    for (const k of ['temp-url-key', 'temp-url-key-2']) if (c.meta[k]) keys.push(c.meta[k]!);
  }
  return keys;
}

/** Reads an expiry: seconds since the epoch, or an ISO 8601 UTC time; undefined when invalid. */
export function parseExpiry(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(value)) return Date.parse(value) / 1000;
  return undefined;
}
