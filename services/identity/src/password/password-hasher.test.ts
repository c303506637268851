import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import bcrypt from 'bcrypt';
import { PasswordHasher, PasswordVerificationError } from './password-hasher';

const hasher = new PasswordHasher({ rounds: 4, maxLength: 4096 });

describe('PasswordHasher', () => {
  it('hashes with bcrypt at the configured cost and verifies', async () => {
    const hash = await hasher.hash('s3cret ünïcode');
    expect(hash).toMatch(/^\$2b\$04\$/);
    expect(await hasher.verify('s3cret ünïcode', hash)).toBe(true);
    expect(await hasher.verify('s3cret', hash)).toBe(false);
  });

  it('cuts passwords to 72 UTF-8 bytes by default, as Keystone with bcrypt', async () => {
    const long = 'é'.repeat(2100);
    const hash = await hasher.hash(long);
    expect(await hasher.verify(long, hash)).toBe(true);
    expect(await hasher.verify('é'.repeat(36), hash)).toBe(true);
    expect(await hasher.verify('é'.repeat(35), hash)).toBe(false);
    // A hash of the whole string (what was stored before) still verifies.
    expect(await hasher.verify(long, await bcrypt.hash(long, 4))).toBe(true);
  });

  it('refuses passwords over the limit under strict_password_check, counting bytes', async () => {
    const strict = new PasswordHasher({ rounds: 4, maxLength: 4096, strict: true });
    await expect(strict.hash('x'.repeat(73))).rejects.toBeInstanceOf(PasswordVerificationError);
    await expect(strict.hash('é'.repeat(37))).rejects.toMatchObject({ status: 403, maxBytes: 72 });
    const hash = await strict.hash('é'.repeat(36));
    await expect(strict.verify('é'.repeat(37), hash)).rejects.toBeInstanceOf(PasswordVerificationError);
    expect(await strict.verify('x'.repeat(5000), null)).toBe(false);
    const short = new PasswordHasher({ rounds: 4, maxLength: 8, strict: true });
    await expect(short.hash('123456789')).rejects.toMatchObject({ maxBytes: 8 });
  });

  it('answers false for missing or unknown hashes', async () => {
    expect(await hasher.verify('x', null)).toBe(false);
    expect(await hasher.verify('x', 'plaintext')).toBe(false);
  });

  it('verifies passlib pbkdf2_sha512 hashes as Keystone may have stored them', async () => {
    // passlib's format, made with hashlib so the test needs no passlib.
    const script =
      'import hashlib, base64, os\n' +
      'salt = os.urandom(16); dk = hashlib.pbkdf2_hmac("sha512", b"legacy", salt, 1000)\n' +
      'ab64 = lambda b: base64.b64encode(b).decode().rstrip("=").replace("+", ".")\n' +
      'print("$pbkdf2-sha512$1000$" + ab64(salt) + "$" + ab64(dk))';
    const hash = execFileSync('/usr/bin/python3', ['-c', script]).toString().trim();
    expect(await hasher.verify('legacy', hash)).toBe(true);
    expect(await hasher.verify('other', hash)).toBe(false);
  });

  it('verifies bcrypt hashes made by python', async () => {
    const hash = execFileSync('/usr/bin/python3', [
      '-c',
      'import bcrypt; print(bcrypt.hashpw(b"py", bcrypt.gensalt(4)).decode())',
    ])
      .toString()
      .trim();
    expect(await hasher.verify('py', hash)).toBe(true);
  });
});
