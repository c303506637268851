import { allDialects, DuplicateEntryError, migrate, openTestDatabase } from '@nimbus/db';
import { describe, expect, it } from 'vitest';
import { expandImpliedRoles } from '../../manager/assignment/role-inference';
import { identityMigrations } from '../migrations/index';
import { RoleRepository } from './role-repository';

for (const dialect of allDialects) {
  describe(`RoleRepository on ${dialect}`, () => {
    it('keeps global and domain roles apart, implied rules, and idempotent grants', async () => {
      const db = await openTestDatabase(dialect, 'identity');
      try {
        await migrate(db, identityMigrations);
        const roles = new RoleRepository(db);
        for (const [id, name] of [
          ['r-admin', 'admin'],
          ['r-member', 'member'],
          ['r-reader', 'reader'],
        ]) {
          await roles.createRole({ id: id!, name: name!, domainId: null, description: '', options: {} });
        }
        await roles.createRole({
          id: 'r-d-admin',
          name: 'admin',
          domainId: 'd1',
          description: 'domain-specific',
          options: {},
        });
        await expect(
          roles.createRole({ id: 'dup', name: 'admin', domainId: null, description: '', options: {} }),
        ).rejects.toBeInstanceOf(DuplicateEntryError);
        expect((await roles.listRoles({ domainId: null })).map((r) => r.name)).toEqual([
          'admin',
          'member',
          'reader',
        ]);
        expect((await roles.listRoles({ domainId: 'd1' })).map((r) => r.id)).toEqual(['r-d-admin']);
        expect((await roles.getRole('r-admin'))?.domainId).toBeNull();

        await roles.addImpliedRole({ priorRoleId: 'r-admin', impliedRoleId: 'r-member' });
        await roles.addImpliedRole({ priorRoleId: 'r-member', impliedRoleId: 'r-reader' });
        expect(expandImpliedRoles(['r-admin'], await roles.impliedRoles()).sort()).toEqual([
          'r-admin',
          'r-member',
          'r-reader',
        ]);

        const grant = {
          type: 'UserProject' as const,
          actorId: 'u1',
          targetId: 'p1',
          roleId: 'r-member',
          inherited: false,
        };
        await roles.grant(grant);
        await roles.grant(grant);
        await roles.grant({ ...grant, type: 'GroupProject', actorId: 'g1', roleId: 'r-reader' });
        expect(await roles.findAssignments({ actorIds: ['u1', 'g1'], targetId: 'p1' })).toHaveLength(2);
        expect(await roles.revoke(grant)).toBe(true);
        expect(await roles.revoke(grant)).toBe(false);
        await roles.deleteRole('r-reader');
        expect(await roles.findAssignments()).toEqual([]);
      } finally {
        await db.close();
      }
    });
  });
}
