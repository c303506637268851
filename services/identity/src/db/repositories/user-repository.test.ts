import { allDialects, DuplicateEntryError, migrate, nowTimestamp, openTestDatabase } from '@nimbus/db';
import { describe, expect, it } from 'vitest';
import { identityMigrations } from '../migrations/index';
import { DOMAIN_ROOT, ProjectRepository } from './project-repository';
import { UserRepository } from './user-repository';

for (const dialect of allDialects) {
  describe(`UserRepository on ${dialect}`, () => {
    it('keeps users unique per domain, their password history, failures and groups', async () => {
      const db = await openTestDatabase(dialect, 'identity');
      try {
        await migrate(db, identityMigrations);
        const base = { enabled: true, description: '', tags: [] as string[], extra: {} };
        const projects = new ProjectRepository(db);
        await projects.create({
          ...base,
          id: DOMAIN_ROOT,
          name: DOMAIN_ROOT,
          domainId: DOMAIN_ROOT,
          parentId: null,
          isDomain: true,
        });
        await projects.create({
          ...base,
          id: 'default',
          name: 'Default',
          domainId: DOMAIN_ROOT,
          parentId: null,
          isDomain: true,
        });
        const users = new UserRepository(db);
        const user = {
          id: 'u1',
          name: 'alice',
          domainId: 'default',
          enabled: true,
          defaultProjectId: null,
          options: {},
          extra: { email: 'a@example.org' },
        };
        await users.create(user, { hash: 'h1', expiresAt: null, selfService: false });
        await expect(users.create({ ...user, id: 'u2' })).rejects.toBeInstanceOf(DuplicateEntryError);
        await users.create({ ...user, id: 'u3', name: 'Alice' });
        expect((await users.getByName('alice', 'default'))?.extra).toEqual({ email: 'a@example.org' });

        await new Promise((r) => setTimeout(r, 2));
        await users.addPassword('u1', { hash: 'h2', expiresAt: nowTimestamp(), selfService: true });
        expect((await users.passwords('u1')).map((p) => p.hash)).toEqual(['h2', 'h1']);

        expect(await users.recordFailure('u1')).toBe(1);
        expect(await users.recordFailure('u1')).toBe(2);
        expect((await users.failures('u1'))?.count).toBe(2);
        await users.clearFailures('u1');
        expect(await users.failures('u1')).toBeUndefined();

        await db.transaction((t) =>
          t.insertInto('group').values({ id: 'g1', name: 'devs', domain_id: 'default' }).execute(),
        );
        await users.addToGroup('u1', 'g1');
        expect(await users.groupIds('u1')).toEqual(['g1']);
        await users.update('u1', { enabled: false, options: { lock_password: true } });
        expect(await users.get('u1')).toMatchObject({ enabled: false, options: { lock_password: true } });
        expect((await users.list({ enabled: false })).map((u) => u.id)).toEqual(['u1']);
        await users.delete('u1');
        expect(await users.passwords('u1')).toEqual([]);
        expect(await users.groupIds('u1')).toEqual([]);
      } finally {
        await db.close();
      }
    });
  });
}
