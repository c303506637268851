import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PasswordHasher, PasswordTooLong } from './password-hasher';

const hasher = new PasswordHasher({ rounds: 4, maxLength: 4096 });

describe('PasswordHasher', () => {
  it('hashes with bcrypt at the configured cost and verifies', async () => {
    const hash = await hasher.hash('s3cret ünïcode');
    expect(hash).toMatch(/^\$2b\$04\$/);
    expect(await hasher.verify('s3cret ünïcode', hash)).toBe(true);
    expect(await hasher.verify('s3cret', hash)).toBe(false);
  });

  it('refuses overlong passwords and answers false for missing or unknown hashes', async () => {
    await expect(hasher.hash('x'.repeat(4097))).rejects.toBeInstanceOf(PasswordTooLong);
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
