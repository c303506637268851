import { afterAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database';
import { sql } from 'kysely';
import { appliedMigrations, type Migration, migrate } from './migrations';
import { openTestDatabase, testServerUrls } from './test-databases';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Several processes starting at once each run `migrate` on the same database: each with its own
// pool, as separate processes would. The lock must make them take turns, so no migration runs
// twice and no two migrations overlap.
for (const dialect of ['postgres', 'mariadb'] as const) {
  describe(`concurrent migrators on ${dialect}`, () => {
    const handles: Database[] = [];
    afterAll(async () => {
      for (const h of handles.reverse()) await h.close();
    });

    it('take turns: every migration runs once, none overlaps another', async () => {
      const owner = await openTestDatabase(dialect, 'lock');
      handles.push(owner);
      const name =
        dialect === 'postgres'
          ? (await sql<{ n: string }>`SELECT current_database() AS n`.execute(owner.kysely)).rows[0]!.n
          : (await sql<{ n: string }>`SELECT DATABASE() AS n`.execute(owner.kysely)).rows[0]!.n;
      const runs: { id: string; runner: number; start: number; end: number }[] = [];
      const migrations = (runner: number): Migration[] =>
        ['0001-a', '0002-b', '0003-c'].map((id) => ({
          id,
          up: async (db) => {
            const start = performance.now();
            await db.schema
              .createTable(`t_${id.slice(5)}`)
              .addColumn('id', 'integer')
              .execute();
            await sleep(80);
            runs.push({ id, runner, start, end: performance.now() });
          },
        }));
      const migrators: Database[] = [];
      for (let i = 0; i < 4; i++)
        migrators.push(await openDatabase({ url: `${testServerUrls[dialect]}/${name}`, service: 'lock' }));
      handles.push(...migrators);
      const results = await Promise.all(migrators.map((db, i) => migrate(db, migrations(i))));
      expect(results.flat().sort()).toEqual(['0001-a', '0002-b', '0003-c']);
      expect(runs.map((r) => r.id).sort()).toEqual(['0001-a', '0002-b', '0003-c']);
      const sorted = [...runs].sort((a, b) => a.start - b.start);
      for (let i = 1; i < sorted.length; i++)
        expect(sorted[i]!.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
      expect(await appliedMigrations(owner)).toEqual(['0001-a', '0002-b', '0003-c']);
      expect(await migrate(migrators[0]!, migrations(9))).toEqual([]);
    });
  });
}

describe('migrations on SQLite', () => {
  it('apply under the write lock and skip what is applied', async () => {
    const db = await openDatabase({ url: 'sqlite::memory:', service: 'lock' });
    try {
      const m: Migration[] = [
        { id: '0001-x', up: (k) => k.schema.createTable('x').addColumn('id', 'integer').execute() },
      ];
      expect(await migrate(db, m)).toEqual(['0001-x']);
      expect(await migrate(db, m)).toEqual([]);
      const failing: Migration[] = [
        ...m,
        {
          id: '0002-y',
          up: async (k) => {
            await k.schema.createTable('y').addColumn('id', 'integer').execute();
            throw new Error('bad');
          },
        },
      ];
      await expect(migrate(db, failing)).rejects.toThrow('bad');
      // The failed migration rolled back whole: its table is gone and it is not recorded.
      expect(await appliedMigrations(db)).toEqual(['0001-x']);
      await expect(sql`SELECT * FROM y`.execute(db.kysely)).rejects.toThrow(/no such table/);
    } finally {
      await db.close();
    }
  });
});
