import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A Fernet token that is malformed, signed with another key, or expired. */
export class InvalidFernetToken extends Error {}

const VERSION = 0x80;

/** Decodes a url-safe base64 string whose padding may have been stripped (as Keystone strips it). */
export function decodeBase64Url(text: string): Buffer {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new InvalidFernetToken('not url-safe base64');
  return Buffer.from(text.replace(/=+$/, ''), 'base64url');
}

/** One Fernet key: 32 bytes, the first 16 sign (HMAC-SHA256), the last 16 encrypt (AES-128-CBC). */
export class FernetKey {
  private readonly signing: Buffer;
  private readonly encryption: Buffer;

  constructor(key: string) {
    const raw = decodeBase64Url(key);
    if (raw.length !== 32) throw new Error('a Fernet key is 32 url-safe base64-encoded bytes');
    this.signing = raw.subarray(0, 16);
    this.encryption = raw.subarray(16);
  }

  /** A new random key in the file format (url-safe base64 with padding). */
  static generate(): string {
    return randomBytes(32).toString('base64url') + '=';
  }

  /** Encrypts per the Fernet spec; `nowSeconds` is stored as the token's timestamp. */
  encrypt(plaintext: Uint8Array, nowSeconds = Math.floor(Date.now() / 1000), iv = randomBytes(16)): string {
    const cipher = createCipheriv('aes-128-cbc', this.encryption, iv);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const header = Buffer.alloc(9);
    header[0] = VERSION;
    header.writeBigUInt64BE(BigInt(nowSeconds), 1);
    const signed = Buffer.concat([header, iv, body]);
    const mac = createHmac('sha256', this.signing).update(signed).digest();
    const text = Buffer.concat([signed, mac]).toString('base64url');
    return text + '='.repeat((4 - (text.length % 4)) % 4);
  }

  /**
   * Verifies and decrypts. Throws InvalidFernetToken on a bad signature, version or padding, or
   * when `ttlSeconds` is given and the token is older than that.
   */
  decrypt(
    token: string,
    ttlSeconds?: number,
    nowSeconds = Math.floor(Date.now() / 1000),
  ): { plaintext: Buffer; timestamp: number } {
    const data = decodeBase64Url(token);
    if (data.length < 9 + 16 + 16 + 32 || data[0] !== VERSION || (data.length - 57) % 16 !== 0)
      throw new InvalidFernetToken('malformed token');
    const mac = data.subarray(data.length - 32);
    const expected = createHmac('sha256', this.signing)
      .update(data.subarray(0, data.length - 32))
      .digest();
    if (!timingSafeEqual(mac, expected)) throw new InvalidFernetToken('signature mismatch');
    const timestamp = Number(data.readBigUInt64BE(1));
    if (ttlSeconds !== undefined && timestamp + ttlSeconds < nowSeconds)
      throw new InvalidFernetToken('token expired');
    const iv = data.subarray(9, 25);
    try {
      const decipher = createDecipheriv('aes-128-cbc', this.encryption, iv);
      return {
        plaintext: Buffer.concat([decipher.update(data.subarray(25, data.length - 32)), decipher.final()]),
        timestamp,
      };
    } catch {
      throw new InvalidFernetToken('bad padding');
    }
  }
}

/** Encrypts with the primary key, decrypts with any active key (cryptography's MultiFernet). */
export class MultiFernet {
  constructor(private readonly keys: readonly FernetKey[]) {
    if (keys.length === 0) throw new Error('MultiFernet needs at least one key');
  }

  encrypt(plaintext: Uint8Array, nowSeconds?: number): string {
    return this.keys[0]!.encrypt(plaintext, nowSeconds);
  }

  decrypt(token: string, ttlSeconds?: number, nowSeconds?: number): { plaintext: Buffer; timestamp: number } {
    let last: unknown;
    for (const key of this.keys) {
      try {
        return key.decrypt(token, ttlSeconds, nowSeconds);
      } catch (err) {
        last = err;
        if (err instanceof InvalidFernetToken && err.message === 'token expired') throw err;
      }
    }
    throw last instanceof InvalidFernetToken
      ? last
      : new InvalidFernetToken('no key could decrypt the token');
  }
}
