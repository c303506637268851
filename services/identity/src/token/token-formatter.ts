import { randomBytes } from 'node:crypto';
import { InvalidFernetToken, type MultiFernet } from './fernet';
import {
  DEFAULT_AUTH_METHODS,
  MalformedPayload,
  packPayload,
  type TokenPayload,
  unpackPayload,
} from './token-payload';

/** A token that cannot be read: malformed, truncated, or made with a key we do not hold. */
export class UnreadableToken extends Error {}

/** A new audit id: 16 random bytes, url-safe base64 without padding, as Keystone makes them. */
export function newAuditId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Makes and reads Fernet tokens in Keystone's format: msgpack payload, Fernet-encrypted, the
 * base64 padding stripped from the token and restored before decryption. Expiry and revocation
 * are the caller's checks; this only proves the token is ours and unpacks it.
 */
export class TokenFormatter {
  constructor(
    private readonly keys: () => MultiFernet,
    private readonly methodOrder: readonly string[] = DEFAULT_AUTH_METHODS,
  ) {}

  create(payload: TokenPayload): string {
    return this.keys().encrypt(packPayload(payload, this.methodOrder)).replace(/=+$/, '');
  }

  /** Returns the payload and the issue time (the Fernet timestamp, in seconds). */
  read(token: string): { payload: TokenPayload; issuedAt: number } {
    if (token.length < 60 || token.length > 1024)
      throw new UnreadableToken('Could not recognize Fernet token');
    try {
      const { plaintext, timestamp } = this.keys().decrypt(token + '='.repeat((4 - (token.length % 4)) % 4));
      return { payload: unpackPayload(plaintext, this.methodOrder), issuedAt: timestamp };
    } catch (err) {
      if (err instanceof InvalidFernetToken || err instanceof MalformedPayload)
        throw new UnreadableToken('Could not recognize Fernet token');
      throw err;
    }
  }
}
