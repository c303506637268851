import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import bcrypt from 'bcrypt';

const pbkdf2Async = promisify(pbkdf2);

/** How passwords are hashed ([identity] password_hash_algorithm / password_hash_rounds). */
export interface PasswordHasherOptions {
  /** bcrypt cost; Keystone's default is 12. */
  rounds: number;
  /** Longest password accepted ([identity] max_password_length, default 4096). */
  maxLength: number;
}

/** A password longer than allowed (Keystone answers 400 PasswordValidationError). */
export class PasswordTooLong extends Error {}

// A real bcrypt hash of a random secret, verified against when the user does not exist, so a
// wrong user name costs the same time as a wrong password.
const DUMMY_HASH = '$2b$12$C6UzMDM.H6dfI/f/IKxGhuJWf8b8TdfI1/ffn/eW5.9P9f.1yOQK6';

/**
 * Hashes and verifies passwords as Keystone stores them: bcrypt (`$2b$`) by default, and
 * passlib's `$pbkdf2-sha512$` form for hashes imported from a Keystone configured with it.
 * Like Keystone, bcrypt only reads the first 72 bytes of a password.
 */
export class PasswordHasher {
  constructor(private readonly options: PasswordHasherOptions = { rounds: 12, maxLength: 4096 }) {}

  async hash(password: string): Promise<string> {
    this.checkLength(password);
    return bcrypt.hash(password, this.options.rounds);
  }

  /** True when `password` matches `hash`; a missing hash still spends the time of a bcrypt check. */
  async verify(password: string, hash: string | null | undefined): Promise<boolean> {
    if (password.length > this.options.maxLength) return false;
    if (!hash) {
      await bcrypt.compare(password, DUMMY_HASH);
      return false;
    }
    if (hash.startsWith('$2')) return bcrypt.compare(password, hash);
    if (hash.startsWith('$pbkdf2-sha512$')) return verifyPbkdf2(password, hash);
    await bcrypt.compare(password, DUMMY_HASH);
    return false;
  }

  private checkLength(password: string): void {
    if (password.length > this.options.maxLength)
      throw new PasswordTooLong(`Password is longer than ${this.options.maxLength} characters.`);
  }
}

/** passlib's `$pbkdf2-sha512$<rounds>$<salt ab64>$<hash ab64>` ('.' instead of '+', no padding). */
async function verifyPbkdf2(password: string, hash: string): Promise<boolean> {
  const [, , roundsText, saltText, digestText] = hash.split('$');
  if (!roundsText || !saltText || !digestText) return false;
  const ab64 = (s: string) => Buffer.from(s.replaceAll('.', '+'), 'base64');
  const expected = ab64(digestText);
  const actual = await pbkdf2Async(password, ab64(saltText), Number(roundsText), expected.length, 'sha512');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
