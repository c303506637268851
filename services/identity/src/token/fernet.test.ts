import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FernetKey, InvalidFernetToken, MultiFernet } from './fernet';
import { KeyRepository } from './key-repository';

// The Fernet spec's own test vector (token for "hello" at 1985-10-26T01:20:00-07:00).
const SPEC_KEY = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
const SPEC_TOKEN =
  'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==';
const SPEC_NOW = 499162800;

describe('Fernet', () => {
  it('reproduces the specification vector and decrypts it', () => {
    const key = new FernetKey(SPEC_KEY);
    const iv = Buffer.from([...Array(16).keys()]);
    expect(key.encrypt(Buffer.from('hello'), SPEC_NOW, iv)).toBe(SPEC_TOKEN);
    expect(key.decrypt(SPEC_TOKEN).plaintext.toString()).toBe('hello');
    expect(key.decrypt(SPEC_TOKEN.replace(/=+$/, '')).timestamp).toBe(SPEC_NOW);
  });

  it('rejects tampering, other keys, expiry and garbage', () => {
    const key = new FernetKey(FernetKey.generate());
    const token = key.encrypt(Buffer.from('payload'));
    const flipped = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    expect(() => key.decrypt(flipped)).toThrow(InvalidFernetToken);
    expect(() => new FernetKey(FernetKey.generate()).decrypt(token)).toThrow(InvalidFernetToken);
    expect(() => key.decrypt(token, 10, Math.floor(Date.now() / 1000) + 60)).toThrow('token expired');
    for (const bad of ['', 'abc', 'not base64!', token.slice(0, 30)])
      expect(() => key.decrypt(bad)).toThrow(InvalidFernetToken);
  });

  it('decrypts with any key of a MultiFernet and encrypts with the first', () => {
    const [a, b] = [new FernetKey(FernetKey.generate()), new FernetKey(FernetKey.generate())];
    const old = b.encrypt(Buffer.from('x'));
    const multi = new MultiFernet([a, b]);
    expect(multi.decrypt(old).plaintext.toString()).toBe('x');
    expect(a.decrypt(multi.encrypt(Buffer.from('y'))).plaintext.toString()).toBe('y');
  });

  it('interoperates with python cryptography when it is installed', () => {
    const key = FernetKey.generate();
    let pyToken: string;
    try {
      pyToken = execFileSync('/usr/bin/python3', [
        '-c',
        `from cryptography.fernet import Fernet; print(Fernet(b"${key}").encrypt(b"from python").decode())`,
      ])
        .toString()
        .trim();
    } catch {
      throw new Error(
        'python3-cryptography is required for this test (installed with the OpenStack clients)',
      );
    }
    expect(new FernetKey(key).decrypt(pyToken).plaintext.toString()).toBe('from python');
    const ours = new FernetKey(key).encrypt(Buffer.from('from node'));
    const back = execFileSync('/usr/bin/python3', [
      '-c',
      `from cryptography.fernet import Fernet; print(Fernet(b"${key}").decrypt(b"${ours}").decode())`,
    ])
      .toString()
      .trim();
    expect(back).toBe('from node');
  });
});

describe('KeyRepository', () => {
  it('sets up staged and primary keys, rotates, and keeps old tokens valid while their key is kept', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nimbus-keys-')), 'fernet-keys');
    const repo = new KeyRepository(dir, 3);
    repo.setup();
    expect(readdirSync(dir).sort()).toEqual(['0', '1']);
    const first = repo.fernet().encrypt(Buffer.from('t1'));
    repo.rotate();
    expect(readdirSync(dir).sort()).toEqual(['0', '1', '2']);
    expect(repo.fernet().decrypt(first).plaintext.toString()).toBe('t1');
    repo.rotate();
    expect(readdirSync(dir).sort()).toEqual(['0', '2', '3']);
    expect(() => repo.fernet().decrypt(first)).toThrow(InvalidFernetToken);
    repo.setup();
    expect(readdirSync(dir).sort()).toEqual(['0', '2', '3']);
  });
});
