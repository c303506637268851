import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedKeys } from './key-cache';
import { KeyRepository } from './key-repository';

describe('cachedKeys', () => {
  it('reuses the loaded keys and reloads after a rotation once the check interval passed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-keys-'));
    try {
      const repo = new KeyRepository(join(dir, 'keys'));
      repo.setup();
      let t = 0;
      const keys = cachedKeys(repo, 1000, () => t);
      const first = keys();
      const token = first.encrypt(Buffer.from('x'));
      expect(keys()).toBe(first);
      repo.rotate();
      repo.rotate();
      repo.rotate();
      expect(keys()).toBe(first);
      t = 2000;
      const second = keys();
      expect(second).not.toBe(first);
      expect(() => second.decrypt(token)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
