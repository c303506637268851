import {
  allDialects,
  DuplicateEntryError,
  migrate,
  nowTimestamp,
  openTestDatabase,
  ReferenceViolationError,
} from '@nimbus/db';
import { describe, expect, it } from 'vitest';
import { identityMigrations } from './index';

for (const dialect of allDialects) {
  describe(`identity schema on ${dialect}`, () => {
    it('migrates, keeps names unique per domain and case-sensitive, and protects references', async () => {
      const db = await openTestDatabase(dialect, 'identity');
      try {
        expect(await migrate(db, identityMigrations)).toEqual([
          '0001-initial',
          '0002-domain-config',
          '0003-endpoint-filter',
          '0004-endpoint-policy',
        ]);
        const k = db.kysely;
        const project = (id: string, name: string, domain: string, isDomain = false) =>
          db.transaction((t) =>
            t
              .insertInto('project')
              .values({
                id,
                name,
                domain_id: domain,
                parent_id: null,
                is_domain: isDomain,
                enabled: true,
                created_at: nowTimestamp(),
              })
              .execute(),
          );
        await project('default', 'Default', '<<keystone.domain.root>>', true);
        await project('p1', 'demo', 'default');
        await project('p2', 'Demo', 'default');
        await expect(project('p3', 'demo', 'default')).rejects.toBeInstanceOf(DuplicateEntryError);
        await expect(
          db.transaction((t) =>
            t
              .insertInto('user')
              .values({
                id: 'u1',
                name: 'alice',
                domain_id: 'nope',
                enabled: true,
                created_at: nowTimestamp(),
              })
              .execute(),
          ),
        ).rejects.toBeInstanceOf(ReferenceViolationError);
        await db.transaction((t) =>
          t
            .insertInto('revocation_event')
            .values({ user_id: 'u1', issued_before: 1.5, revoked_at: 1.5 })
            .execute(),
        );
        const ev = await k.selectFrom('revocation_event').selectAll().executeTakeFirstOrThrow();
        expect(Number(ev.issued_before)).toBe(1.5);
        expect(await migrate(db, identityMigrations)).toEqual([]);
      } finally {
        await db.close();
      }
    });
  });
}
