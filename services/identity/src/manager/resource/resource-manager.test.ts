import { migrate, openTestDatabase } from '@nimbus/db';
import { ForbiddenError, NotFoundError } from '@nimbus/errors';
import { describe, expect, it } from 'vitest';
import { identityMigrations } from '../../db/migrations/index';
import { ProjectRepository } from '../../db/repositories/project-repository';
import type { IdentityEvents } from '../identity-events';
import { ignoreIdentityEvents } from '../identity-events';
import { ResourceManager } from './resource-manager';

async function setup() {
  const db = await openTestDatabase('sqlite', 'identity');
  await migrate(db, identityMigrations);
  const seen: string[] = [];
  const events: IdentityEvents = {
    ...ignoreIdentityEvents,
    projectDisabled: async (id) => {
      seen.push(`disabled ${id}`);
    },
    projectDeleted: async (id) => {
      seen.push(`deleted ${id}`);
    },
    domainDeleted: async (id) => {
      seen.push(`domain deleted ${id}`);
    },
  };
  const r = new ResourceManager(new ProjectRepository(db), events, { maxProjectTreeDepth: 3 });
  await r.createDomain({ id: 'default', name: 'Default' });
  return { db, r, seen };
}

describe('ResourceManager', () => {
  it('builds hierarchies within a domain, up to the depth limit, and refuses cross-domain parents', async () => {
    const { db, r } = await setup();
    try {
      const a = await r.createProject({ name: 'a', domainId: 'default' });
      expect(a.parentId).toBe('default');
      const b = await r.createProject({ name: 'b', parentId: a.id });
      const c = await r.createProject({ name: 'c', parentId: b.id });
      await expect(r.createProject({ name: 'd', parentId: c.id })).rejects.toThrow(
        'Max hierarchy depth reached',
      );
      const other = await r.createDomain({ name: 'Other' });
      await expect(r.createProject({ name: 'x', domainId: other.id, parentId: a.id })).rejects.toThrow(
        'different domain',
      );
      expect((await r.parents(c.id)).map((p) => p.name)).toEqual(['b', 'a']);
      expect((await r.subtree(a.id)).map((p) => p.name)).toEqual(['b', 'c']);
      await expect(r.createProject({ name: 'a', domainId: 'default' })).rejects.toMatchObject({
        category: 'conflict',
      });
    } finally {
      await db.close();
    }
  });

  it('keeps enabled subtrees under enabled parents, and deletes leaves only unless cascading', async () => {
    const { db, r, seen } = await setup();
    try {
      const a = await r.createProject({ name: 'a', domainId: 'default' });
      const b = await r.createProject({ name: 'b', parentId: a.id });
      await expect(r.updateProject(a.id, { enabled: false })).rejects.toBeInstanceOf(ForbiddenError);
      await r.updateProject(b.id, { enabled: false });
      await r.updateProject(a.id, { enabled: false });
      await expect(r.updateProject(b.id, { enabled: true })).rejects.toThrow('disabled parents');
      await expect(r.createProject({ name: 'c', parentId: a.id })).rejects.toThrow('disabled project');
      await expect(r.deleteProject(a.id)).rejects.toThrow('not a leaf');
      await r.deleteProject(a.id, true);
      expect(seen).toEqual([`disabled ${b.id}`, `disabled ${a.id}`, `deleted ${b.id}`, `deleted ${a.id}`]);
      await expect(r.getProject(a.id)).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await db.close();
    }
  });

  it('deletes only disabled domains, with their projects, and manages tags', async () => {
    const { db, r, seen } = await setup();
    try {
      const d = await r.createDomain({ name: 'Temp' });
      const p = await r.createProject({ name: 'p', domainId: d.id, tags: ['x'] });
      await r.addTag(p.id, 'y');
      await expect(r.removeTag(p.id, 'nope')).rejects.toBeInstanceOf(NotFoundError);
      expect((await r.getProject(p.id)).tags.sort()).toEqual(['x', 'y']);
      await expect(r.deleteDomain(d.id)).rejects.toThrow('disable it first');
      await r.updateDomain(d.id, { enabled: false });
      await r.deleteDomain(d.id);
      expect(seen).toEqual([`deleted ${p.id}`, `domain deleted ${d.id}`]);
      expect(await r.findDomain(d.id)).toBeUndefined();
    } finally {
      await db.close();
    }
  });
});
