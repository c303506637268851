import { BadRequestError, UnauthorizedError } from '@nimbus/errors';

/** Keystone's `[security_compliance]` options; every rule is off when its option is unset (0 or empty). */
export interface SecurityCompliance {
  lockoutFailureAttempts: number;
  /** Seconds; 0 locks until an admin resets the user. */
  lockoutDurationSeconds: number;
  passwordRegex: string;
  passwordRegexDescription: string;
  uniqueLastPasswordCount: number;
  passwordExpiresDays: number;
  minimumPasswordAgeDays: number;
  changePasswordUponFirstUse: boolean;
}

/** All checks off, as upstream ships. */
export const complianceOff: SecurityCompliance = {
  lockoutFailureAttempts: 0,
  lockoutDurationSeconds: 0,
  passwordRegex: '',
  passwordRegexDescription: '',
  uniqueLastPasswordCount: 0,
  passwordExpiresDays: 0,
  minimumPasswordAgeDays: 0,
  changePasswordUponFirstUse: false,
};

/**
 * Whether a user is locked out after failed logins. The message never says so to the client:
 * Keystone answers a locked account like a wrong password (401), so lockout is no account oracle.
 */
export function isLockedOut(
  c: SecurityCompliance,
  failures: { count: number; lastFailureAt: number } | undefined,
  nowSeconds: number,
): boolean {
  if (!c.lockoutFailureAttempts || !failures || failures.count < c.lockoutFailureAttempts) return false;
  return c.lockoutDurationSeconds === 0 || failures.lastFailureAt + c.lockoutDurationSeconds > nowSeconds;
}

/** Checks a new password against the regex and the history of the user's last N password hashes. */
export async function checkNewPassword(
  c: SecurityCompliance,
  password: string,
  history: readonly string[],
  matches: (password: string, hash: string) => Promise<boolean>,
): Promise<void> {
  if (c.passwordRegex && !new RegExp(c.passwordRegex).test(password)) {
    throw new BadRequestError(
      `Password validation error: The password does not meet the requirements: ${c.passwordRegexDescription || c.passwordRegex}.`,
      { code: 'IDENTITY_PASSWORD_REQUIREMENTS' },
    );
  }
  if (c.uniqueLastPasswordCount > 0) {
    for (const hash of history.slice(0, c.uniqueLastPasswordCount)) {
      if (await matches(password, hash)) {
        throw new BadRequestError(
          `Password validation error: The new password cannot be identical to a previous password. The total number which includes the new password must be unique is ${c.uniqueLastPasswordCount}.`,
          { code: 'IDENTITY_PASSWORD_REUSED' },
        );
      }
    }
  }
}

/** Refuses a self-service change made sooner than the minimum password age allows. */
export function checkMinimumAge(
  c: SecurityCompliance,
  lastChangedAt: number | undefined,
  nowSeconds: number,
): void {
  if (!c.minimumPasswordAgeDays || lastChangedAt === undefined) return;
  const allowedAt = lastChangedAt + c.minimumPasswordAgeDays * 86_400;
  if (nowSeconds < allowedAt) {
    throw new BadRequestError(
      `Password validation error: You cannot change your password at this time due to the minimum password age. Once you change your password, it must be used for ${c.minimumPasswordAgeDays} day(s) before it can be changed.`,
      { code: 'IDENTITY_PASSWORD_TOO_YOUNG' },
    );
  }
}

/** When a newly set password expires: never, or after the expiry days; at once for admin-set first-use passwords. */
export function passwordExpiresAt(
  c: SecurityCompliance,
  setAt: number,
  selfService: boolean,
): number | undefined {
  if (c.changePasswordUponFirstUse && !selfService) return setAt;
  return c.passwordExpiresDays ? setAt + c.passwordExpiresDays * 86_400 : undefined;
}

/** Refuses authentication with an expired password (401, naming the user id as upstream does). */
export function checkNotExpired(expiresAt: number | undefined, nowSeconds: number, userId: string): void {
  if (expiresAt !== undefined && expiresAt <= nowSeconds) {
    throw new UnauthorizedError(`The password is expired and needs to be changed for user: ${userId}.`, {
      code: 'IDENTITY_PASSWORD_EXPIRED',
    });
  }
}
