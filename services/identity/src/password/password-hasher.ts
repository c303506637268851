import { pbkdf2, randomUUID, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { ForbiddenError } from '@nimbus/errors';
import bcrypt from 'bcrypt';

const pbkdf2Async = promisify(pbkdf2);

/** How passwords are hashed ([identity] password_hash_algorithm / password_hash_rounds). */
export interface PasswordHasherOptions {
  /** bcrypt cost; Keystone's default is 12. */
  rounds: number;
  /** Longest password in UTF-8 bytes ([identity] max_password_length, default 4096). */
  maxLength: number;
  /**
   * [DEFAULT] strict_password_check: refuse a longer password (403) instead of truncating it
   * (Keystone's default).
   */
  strict?: boolean;
}

/** bcrypt reads no more than 72 bytes; Keystone lowers max_password_length to that for bcrypt. */
const BCRYPT_MAX_BYTES = 72;

/** A password over the length limit under strict_password_check (Keystone's PasswordVerificationError). */
export class PasswordVerificationError extends ForbiddenError {
  constructor(readonly maxBytes: number) {
    super(
      `The password length must be less than or equal to ${maxBytes}. The server could not comply with the request because the password is invalid.`,
      { code: 'IDENTITY_PASSWORD_VERIFICATION' },
    );
  }
}

// A real bcrypt hash of a random secret, verified against when the user does not exist, so a
// wrong user name costs the same time as a wrong password.
const DUMMY_HASH = '$2b$12$C6UzMDM.H6dfI/f/IKxGhuJWf8b8TdfI1/ffn/eW5.9P9f.1yOQK6';

/**
 * Hashes and verifies passwords as Keystone stores them: bcrypt (`$2b$`) by default, and
 * passlib's `$pbkdf2-sha512$` form for hashes imported from a Keystone configured with it.
 *
 * Length is counted as Keystone counts it, in UTF-8 bytes, against max_password_length lowered
 * to bcrypt's 72 bytes: a longer password is cut to the limit, or refused with
 * PasswordVerificationError (403) under strict_password_check, both when hashing and verifying.
 */
export class PasswordHasher {
  private readonly maxBytes: number;
  private ownDummy: Promise<string> | undefined;

  constructor(private readonly options: PasswordHasherOptions = { rounds: 12, maxLength: 4096 }) {
    this.maxBytes = Math.min(options.maxLength, BCRYPT_MAX_BYTES);
  }

  /** Hashes with bcrypt; throws PasswordVerificationError for a long password when strict. */
  async hash(password: string): Promise<string> {
    return bcrypt.hash(this.limited(password), this.options.rounds);
  }

  /**
   * True when `password` matches `hash`; a missing hash still spends the time of a bcrypt check.
   * Throws PasswordVerificationError for a long password when strict, as Keystone does.
   */
  async verify(password: string, hash: string | null | undefined): Promise<boolean> {
    if (!hash) {
      await this.spendVerifyTime(password);
      return false;
    }
    const bytes = this.limited(password);
    if (hash.startsWith('$2')) return bcrypt.compare(bytes, hash);
    if (hash.startsWith('$pbkdf2-sha512$')) return verifyPbkdf2(bytes, hash);
    await bcrypt.compare(bytes, DUMMY_HASH);
    return false;
  }

  /**
   * Spends the time of one failed verification at the configured cost, whatever the password's
   * length (never throws): for unknown users and locked accounts.
   */
  async spendVerifyTime(password: string): Promise<void> {
    this.ownDummy ??= bcrypt.hash(randomUUID(), this.options.rounds);
    await bcrypt.compare(Buffer.from(password, 'utf8').subarray(0, this.maxBytes), await this.ownDummy);
  }

  /** The password's UTF-8 bytes within the limit: cut to it, or refused when strict. */
  private limited(password: string): Buffer {
    const bytes = Buffer.from(password, 'utf8');
    if (bytes.length <= this.maxBytes) return bytes;
    if (this.options.strict) throw new PasswordVerificationError(this.maxBytes);
    return bytes.subarray(0, this.maxBytes);
  }
}

/** passlib's `$pbkdf2-sha512$<rounds>$<salt ab64>$<hash ab64>` ('.' instead of '+', no padding). */
async function verifyPbkdf2(password: Buffer, hash: string): Promise<boolean> {
  const [, , roundsText, saltText, digestText] = hash.split('$');
  if (!roundsText || !saltText || !digestText) return false;
  const ab64 = (s: string) => Buffer.from(s.replaceAll('.', '+'), 'base64');
  const expected = ab64(digestText);
  const actual = await pbkdf2Async(password, ab64(saltText), Number(roundsText), expected.length, 'sha512');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
