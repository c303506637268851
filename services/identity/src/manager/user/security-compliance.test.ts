import { BadRequestError, UnauthorizedError } from '@nimbus/errors';
import { describe, expect, it } from 'vitest';
import {
  checkMinimumAge,
  checkNewPassword,
  checkNotExpired,
  complianceOff,
  isLockedOut,
  passwordExpiresAt,
} from './security-compliance';

const tempest = {
  ...complianceOff,
  lockoutFailureAttempts: 2,
  lockoutDurationSeconds: 5,
  uniqueLastPasswordCount: 2,
};
const same = async (p: string, h: string) => p === h;

describe('security compliance', () => {
  it('is all off by default', async () => {
    expect(isLockedOut(complianceOff, { count: 100, lastFailureAt: 0 }, 1)).toBe(false);
    await expect(checkNewPassword(complianceOff, 'a', ['a'], same)).resolves.toBeUndefined();
    expect(passwordExpiresAt(complianceOff, 100, true)).toBeUndefined();
  });

  it('locks out after N failures for the lockout duration, or until reset when it is 0', () => {
    expect(isLockedOut(tempest, { count: 1, lastFailureAt: 100 }, 101)).toBe(false);
    expect(isLockedOut(tempest, { count: 2, lastFailureAt: 100 }, 104)).toBe(true);
    expect(isLockedOut(tempest, { count: 2, lastFailureAt: 100 }, 105)).toBe(false);
    expect(
      isLockedOut({ ...tempest, lockoutDurationSeconds: 0 }, { count: 2, lastFailureAt: 100 }, 10_000),
    ).toBe(true);
  });

  it('enforces the regex with its description and the unique-last-N history', async () => {
    const c = {
      ...tempest,
      passwordRegex: '^(?=.*\\d).{7,}$',
      passwordRegexDescription: 'at least 7 characters and a digit',
    };
    await expect(checkNewPassword(c, 'short', [], same)).rejects.toThrow('at least 7 characters and a digit');
    await expect(checkNewPassword(c, 'abcdef1', ['abcdef1'], same)).rejects.toBeInstanceOf(BadRequestError);
    await expect(checkNewPassword(c, 'abcdef1', ['x', 'y', 'abcdef1'], same)).resolves.toBeUndefined();
  });

  it('applies minimum age, expiry days and change-on-first-use', () => {
    const c = {
      ...complianceOff,
      minimumPasswordAgeDays: 1,
      passwordExpiresDays: 90,
      changePasswordUponFirstUse: true,
    };
    expect(() => checkMinimumAge(c, 1000, 1000 + 3600)).toThrow(BadRequestError);
    expect(() => checkMinimumAge(c, 1000, 1000 + 86_400)).not.toThrow();
    expect(passwordExpiresAt(c, 1000, true)).toBe(1000 + 90 * 86_400);
    expect(passwordExpiresAt(c, 1000, false)).toBe(1000);
    expect(() => checkNotExpired(1000, 1000, 'u1')).toThrow(UnauthorizedError);
    expect(() => checkNotExpired(undefined, 1000, 'u1')).not.toThrow();
  });
});
