import { allDialects, DuplicateEntryError, migrate, openTestDatabase } from '@nimbus/db';
import { describe, expect, it } from 'vitest';
import { identityMigrations } from '../migrations/index';
import { DOMAIN_ROOT, ProjectRepository } from './project-repository';

for (const dialect of allDialects) {
  describe(`ProjectRepository on ${dialect}`, () => {
    it('stores domains and a project tree with tags, and walks it both ways', async () => {
      const db = await openTestDatabase(dialect, 'identity');
      try {
        await migrate(db, identityMigrations);
        const repo = new ProjectRepository(db);
        const base = { enabled: true, description: '', tags: [] as string[], extra: {} };
        await repo.create({
          ...base,
          id: DOMAIN_ROOT,
          name: DOMAIN_ROOT,
          domainId: DOMAIN_ROOT,
          parentId: null,
          isDomain: true,
        });
        await repo.create({
          ...base,
          id: 'default',
          name: 'Default',
          domainId: DOMAIN_ROOT,
          parentId: null,
          isDomain: true,
        });
        await repo.create({
          ...base,
          id: 'a',
          name: 'A',
          domainId: 'default',
          parentId: 'default',
          isDomain: false,
          tags: ['blue', 'red'],
        });
        await repo.create({
          ...base,
          id: 'b',
          name: 'B',
          domainId: 'default',
          parentId: 'a',
          isDomain: false,
          tags: ['blue'],
        });
        await repo.create({
          ...base,
          id: 'c',
          name: 'C',
          domainId: 'default',
          parentId: 'b',
          isDomain: false,
          enabled: false,
        });
        await expect(
          repo.create({
            ...base,
            id: 'x',
            name: 'A',
            domainId: 'default',
            parentId: 'default',
            isDomain: false,
          }),
        ).rejects.toBeInstanceOf(DuplicateEntryError);

        expect((await repo.parents('c')).map((p) => p.id)).toEqual(['b', 'a', 'default']);
        expect((await repo.subtree('a')).map((p) => p.id)).toEqual(['b', 'c']);
        expect((await repo.list({ isDomain: true })).map((p) => p.id)).toEqual(['default']);
        expect((await repo.list({ tags: ['blue', 'red'] })).map((p) => p.id)).toEqual(['a']);
        expect((await repo.list({ tagsAny: ['blue'] })).map((p) => p.id)).toEqual(['a', 'b']);
        expect((await repo.list({ enabled: false })).map((p) => p.id)).toEqual(['c']);

        await repo.update('b', { name: 'B2', tags: ['green'], enabled: false });
        expect(await repo.get('b')).toMatchObject({ name: 'B2', tags: ['green'], enabled: false });
        expect((await repo.getByName('A', 'default'))?.id).toBe('a');
        await repo.delete('c');
        expect(await repo.get('c')).toBeUndefined();
      } finally {
        await db.close();
      }
    });
  });
}
