import { randomUUID } from 'node:crypto';
import { allDialects, migrate, nowTimestamp, openTestDatabase } from '@nimbus/db';
import { describe, expect, it } from 'vitest';
import { imageMigrations } from '../migrations/index';
import { newImage } from './image-fixture';
import { ImageRepository, STAGING_STORE } from './image-repository';
import { TaskRepository } from './task-repository';

for (const dialect of allDialects) {
  describe(`image locations, usage and tasks on ${dialect}`, () => {
    it('moves the old location column into locations, staged copies apart', async () => {
      const db = await openTestDatabase(dialect, 'glance');
      try {
        await migrate(db, imageMigrations.slice(0, 3));
        const row = (id: string, status: string, location: string | null) => ({
          id,
          name: null,
          status,
          visibility: 'private',
          protected: false,
          os_hidden: false,
          owner: 'p1',
          size: 5,
          min_disk: 0,
          min_ram: 0,
          location,
          created_at: nowTimestamp(),
          updated_at: nowTimestamp(),
        });
        const [active, staged] = [randomUUID(), randomUUID()];
        await db.kysely
          .insertInto('image')
          .values(row(active, 'active', 'file:///data/a'))
          .execute();
        await db.kysely
          .insertInto('image')
          .values(row(staged, 'uploading', 'file:///staging/b'))
          .execute();
        await migrate(db, imageMigrations);
        const images = new ImageRepository(db);
        expect((await images.get(active))?.locations).toEqual([{ store: 'file', url: 'file:///data/a' }]);
        expect((await images.get(staged))?.locations).toEqual([
          { store: STAGING_STORE, url: 'file:///staging/b' },
        ]);
      } finally {
        await db.close();
      }
    });

    it('records locations with transitions, counts usage per copy, and keeps pending deletes for the scrubber', async () => {
      const db = await openTestDatabase(dialect, 'glance');
      try {
        await migrate(db, imageMigrations);
        const images = new ImageRepository(db);
        const a = await images.create(newImage());
        const mib = 1024 * 1024;
        expect(
          await images.transition(
            a.id,
            ['queued'],
            'active',
            { size: 3 * mib },
            { store: 'file', url: 'file:///a' },
          ),
        ).toBe(true);
        expect(
          await images.addLocation(a.id, { store: 'objects', url: 'swift+config://objects/glance/a' }),
        ).toBe(true);
        const b = await images.create(newImage());
        await images.transition(
          b.id,
          ['queued'],
          'uploading',
          { size: mib },
          { store: STAGING_STORE, url: 'file:///s' },
        );
        await images.create(newImage({ owner: 'p2' }));
        expect(await images.usage('p1')).toEqual({
          bytes: 6 * mib,
          count: 2,
          stagingBytes: mib,
          uploading: 1,
        });

        await images.markDeleted(a.id, true);
        expect(await images.get(a.id)).toBeUndefined();
        const due = await images.pendingDeletes(nowTimestamp(), 10);
        expect(due.map((d) => [d.id, d.locations.length])).toEqual([[a.id, 2]]);
        await images.finishDelete(a.id);
        expect(await images.pendingDeletes(nowTimestamp(), 10)).toEqual([]);
        expect(await images.exists(a.id)).toBe(true);
      } finally {
        await db.close();
      }
    });

    it('pages tasks by sort key and marker, and hides expired ones', async () => {
      const db = await openTestDatabase(dialect, 'glance');
      try {
        await migrate(db, imageMigrations);
        const tasks = new TaskRepository(db);
        const made = [];
        for (let i = 0; i < 3; i++) {
          made.push(
            await tasks.create({
              id: randomUUID(),
              type: 'api_image_import',
              status: 'pending',
              owner: 'p1',
              imageId: null,
              requestId: null,
              userId: null,
              input: { n: i },
              message: '',
            }),
          );
          await new Promise((r) => setTimeout(r, 2));
        }
        const first = await tasks.page({ sortKey: 'created_at', sortDir: 'desc', limit: 2, owner: 'p1' });
        expect(first.tasks.map((t) => t.input)).toEqual([{ n: 2 }, { n: 1 }]);
        expect(first.more).toBe(true);
        const rest = await tasks.page({
          sortKey: 'created_at',
          sortDir: 'desc',
          limit: 2,
          marker: first.tasks[1],
        });
        expect(rest.tasks.map((t) => t.input)).toEqual([{ n: 0 }]);
        await tasks.update(made[0]!.id, { status: 'failure', message: 'no' }, -1);
        expect(await tasks.get(made[0]!.id)).toBeUndefined();
        expect(await tasks.purgeExpired()).toBe(1);
      } finally {
        await db.close();
      }
    });
  });
}
