import { describe, expect, it } from 'vitest';
import { decodeBase32, totpCode, verifyTotp } from './totp';

describe('TOTP', () => {
  it('matches the RFC 6238 SHA-1 test vectors', () => {
    const key = Buffer.from('12345678901234567890');
    expect(totpCode(key, Math.floor(59 / 30), 8)).toBe('94287082');
    expect(totpCode(key, Math.floor(1111111109 / 30), 8)).toBe('07081804');
    expect(totpCode(key, Math.floor(20000000000 / 30), 8)).toBe('65353130');
  });

  it('decodes base32 and accepts the current and previous window only', () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(decodeBase32(secret)?.toString()).toBe('12345678901234567890');
    expect(decodeBase32('not base32!')).toBeUndefined();
    const now = 1_800_000_000;
    const code = (t: number) => totpCode(decodeBase32(secret)!, Math.floor(t / 30));
    expect(verifyTotp(secret, code(now), now)).toBe(true);
    expect(verifyTotp(secret, code(now - 30), now)).toBe(true);
    expect(verifyTotp(secret, code(now - 60), now)).toBe(false);
    expect(verifyTotp(secret, '12345', now)).toBe(false);
  });
});
