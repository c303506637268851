import { randomUUID } from 'node:crypto';
import { allDialects, migrate, openTestDatabase } from '@nimbus/db';
import { describe, expect, it } from 'vitest';
import { imageMigrations } from '../migrations/index';
import type { ImageListSpec } from './image-listing';
import { ImageRepository } from './image-repository';
import { newImage as image } from './image-fixture';
import { MemberRepository } from './member-repository';

const spec = (over: Partial<ImageListSpec>): ImageListSpec => ({
  projectId: 'p2',
  isAdmin: false,
  memberStatus: 'accepted',
  equals: [{ column: 'os_hidden', values: [false] }],
  tags: [],
  properties: {},
  sort: [
    { key: 'name', dir: 'asc' },
    { key: 'id', dir: 'asc' },
  ],
  limit: 25,
  ...over,
});

for (const dialect of allDialects) {
  describe(`image listing on ${dialect}`, () => {
    it('shows what a project may see, filters, sorts with nulls first and pages from a marker', async () => {
      const db = await openTestDatabase(dialect, 'glance');
      try {
        await migrate(db, imageMigrations);
        const images = new ImageRepository(db);
        const members = new MemberRepository(db);
        await images.create(image({ name: 'a-public', visibility: 'public', size: 10, tags: ['t'] }));
        await images.create(image({ name: 'b-private-of-p1' }));
        await images.create(image({ name: 'c-community', visibility: 'community' }));
        const shared = await images.create(
          image({ name: 'd-shared', visibility: 'shared', size: 5, properties: { os_distro: 'debian' } }),
        );
        await images.create(image({ name: null, owner: 'p2', size: 7, tags: ['t'] }));
        await images.create(image({ name: 'e-hidden', owner: 'p2', osHidden: true }));
        await members.create(shared.id, 'p2');

        const names = async (s: Partial<ImageListSpec>) =>
          (await images.page(spec(s))).page.map((i) => i.name);
        expect(await names({})).toEqual([null, 'a-public']);
        await members.setStatus(shared.id, 'p2', 'accepted');
        expect(await names({})).toEqual([null, 'a-public', 'd-shared']);
        expect(await names({ visibility: 'all' })).toEqual([null, 'a-public', 'c-community', 'd-shared']);
        expect(await names({ visibility: 'community' })).toEqual(['c-community']);
        expect(await names({ tags: ['t'] })).toEqual([null, 'a-public']);
        expect(await names({ properties: { os_distro: 'debian' } })).toEqual(['d-shared']);
        expect(
          await names({
            sizeMin: 6,
            sort: [
              { key: 'size', dir: 'desc' },
              { key: 'id', dir: 'desc' },
            ],
          }),
        ).toEqual(['a-public', null]);
        expect(await names({ isAdmin: true, projectId: undefined, visibility: 'private' })).toEqual([
          null,
          'b-private-of-p1',
        ]);

        const first = await images.page(spec({ limit: 2 }));
        expect(first.more).toBe(true);
        const second = await images.page(spec({ limit: 2, marker: first.page[1]!.id }));
        expect(second.page.map((i) => i.name)).toEqual(['d-shared']);
        expect(second.more).toBe(false);
        expect((await images.page(spec({ marker: randomUUID() }))).markerFound).toBe(false);
      } finally {
        await db.close();
      }
    });
  });
}
