import { allDialects, DuplicateEntryError, migrate, openTestDatabase } from '@nimbus/db';
import { describe, expect, it } from 'vitest';
import { identityMigrations } from '../migrations/index';
import { extensionMigrations } from './extension-migrations';
import { FederationRepository } from './federation-repository';
import { TrustRepository } from './trust-repository';

for (const dialect of allDialects) {
  describe(`identity extension schema on ${dialect}`, () => {
    it('migrates after core, enforces unique remote ids, and spends trust uses atomically', async () => {
      const db = await openTestDatabase(dialect, 'identity');
      try {
        await migrate(db, identityMigrations);
        expect(await migrate(db, extensionMigrations)).toEqual(['0100-extension-tables']);
        const fed = new FederationRepository(db);
        await fed.createIdp({
          id: 'i1',
          enabled: true,
          description: null,
          domainId: 'd1',
          authorizationTtl: null,
          remoteIds: ['r1'],
        });
        await expect(
          fed.createIdp({
            id: 'i2',
            enabled: false,
            description: null,
            domainId: 'd2',
            authorizationTtl: null,
            remoteIds: ['r1'],
          }),
        ).rejects.toBeInstanceOf(DuplicateEntryError);
        expect((await fed.listIdps({ enabled: true })).map((i) => i.id)).toEqual(['i1']);
        const trusts = new TrustRepository(db);
        await trusts.create({
          id: 't1',
          trustorUserId: 'a',
          trusteeUserId: 'b',
          projectId: 'p',
          impersonation: false,
          expiresAt: null,
          remainingUses: 2,
          redelegatedTrustId: null,
          redelegationCount: 0,
          roleIds: ['r'],
          extra: {},
        });
        const results = await Promise.all([
          trusts.consumeUse('t1'),
          trusts.consumeUse('t1'),
          trusts.consumeUse('t1'),
        ]);
        expect(results.filter((r) => r === 'ok')).toHaveLength(2);
        expect((await trusts.get('t1'))?.remainingUses).toBe(0);
        expect(await migrate(db, extensionMigrations)).toEqual([]);
      } finally {
        await db.close();
      }
    });
  });
}
