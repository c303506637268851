import { allDialects, migrate, openTestDatabase } from '@nimbus/db';
import { describe, expect, it } from 'vitest';
import { identityMigrations } from '../../db/migrations/index';
import { RevocationRepository } from '../../db/repositories/revocation-repository';
import { RevocationManager } from './revocation-manager';

const token = (issuedAt: number, userId = 'u1') => ({
  userId,
  domainIds: ['default'],
  roleIds: [],
  auditIds: ['a1'],
  issuedAt,
});

for (const dialect of allDialects) {
  describe(`RevocationManager on ${dialect}`, () => {
    it('revokes tokens issued up to the revocation second, and another process sees it after a refresh', async () => {
      const db = await openTestDatabase(dialect, 'identity');
      try {
        await migrate(db, identityMigrations);
        let now = 1000.7;
        const a = new RevocationManager(new RevocationRepository(db), 3600, () => now);
        const b = new RevocationManager(new RevocationRepository(db), 3600, () => now);
        await a.revoke({ userId: 'u1' });
        expect(a.index.isRevoked(token(1000))).toBe(true);
        expect(a.index.isRevoked(token(1001))).toBe(false);
        expect(a.index.isRevoked(token(999, 'u2'))).toBe(false);
        expect(b.index.isRevoked(token(1000))).toBe(false);
        await b.refresh();
        expect(b.index.isRevoked(token(1000))).toBe(true);
        await b.refresh();
        expect(await b.list()).toHaveLength(1);
        now = 10_000;
        await a.prune();
        expect(await a.list()).toHaveLength(0);
        expect(a.index.isRevoked(token(1000))).toBe(false);
      } finally {
        await db.close();
      }
    });
  });
}
