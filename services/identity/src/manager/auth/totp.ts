import { createHmac, timingSafeEqual } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decodes RFC 4648 base32 (padding and case ignored); undefined when it is not base32. */
export function decodeBase32(text: string): Buffer | undefined {
  const clean = text.replace(/=+$/, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = BASE32.indexOf(ch);
    if (i < 0) return undefined;
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code (HMAC-SHA1) of a key at a time step. */
export function totpCode(key: Buffer, step: number, digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(bin).padStart(digits, '0');
}

/**
 * True when `passcode` is the code of a base32 secret for the current 30 s window or one of the
 * `previousWindows` before it (Keystone's `[totp] included_previous_windows`, default 1).
 */
export function verifyTotp(
  secret: string,
  passcode: string,
  nowSeconds: number,
  previousWindows = 1,
): boolean {
  const key = decodeBase32(secret);
  if (!key || key.length === 0) return false;
  const step = Math.floor(nowSeconds / 30);
  const given = Buffer.from(passcode);
  let ok = false;
  for (let w = 0; w <= previousWindows; w++) {
    const expected = Buffer.from(totpCode(key, step - w));
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}
