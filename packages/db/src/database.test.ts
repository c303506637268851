import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowTimestamp, toBoolean } from './column-types';
import type { Database } from './database';
import { DuplicateEntryError, ReferenceViolationError } from './db-errors';
import { appliedMigrations, type Migration, migrate } from './migrations';
import { allDialects, openTestDatabase } from './test-databases';

const migrations: Migration[] = [
  {
    id: '0001-projects',
    up: async (db) => {
      await db.schema
        .createTable('projects')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
        .addColumn('enabled', 'boolean', (c) => c.notNull())
        .addColumn('size_bytes', 'bigint', (c) => c.notNull())
        .addColumn('extra', 'text')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
    },
  },
  {
    id: '0002-users',
    up: async (db) => {
      await db.schema
        .createTable('users')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('project_id', 'varchar(64)', (c) => c.notNull().references('projects.id'))
        .execute();
    },
  },
];

for (const dialect of allDialects) {
  describe(`database on ${dialect}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await openTestDatabase(dialect);
      await migrate(db, migrations);
    });
    afterAll(async () => db?.close());

    const insert = (id: string, name: string, size = 1) =>
      db.transaction((trx) =>
        trx.insertInto('projects').values({ id, name, enabled: true, size_bytes: size, extra: JSON.stringify({ a: [1] }), created_at: nowTimestamp() }).execute(),
      );

    it('applies migrations once and records them', async () => {
      expect(await appliedMigrations(db)).toEqual(['0001-projects', '0002-users']);
      expect(await migrate(db, migrations)).toEqual([]);
    });

    it('stores big integers, booleans, JSON and names case-sensitively', async () => {
      await insert('p1', 'Alpha', 5 * 2 ** 32);
      await insert('p2', 'alpha');
      const row = await db.kysely.selectFrom('projects').selectAll().where('id', '=', 'p1').executeTakeFirstOrThrow();
      expect(row.size_bytes).toBe(5 * 2 ** 32);
      expect(toBoolean(row.enabled)).toBe(true);
      expect(JSON.parse(row.extra)).toEqual({ a: [1] });
    });

    it('maps unique and foreign-key violations to the same errors everywhere', async () => {
      await expect(insert('p3', 'Alpha')).rejects.toBeInstanceOf(DuplicateEntryError);
      await expect(db.transaction((trx) => trx.insertInto('users').values({ id: 'u1', project_id: 'nope' }).execute())).rejects.toBeInstanceOf(ReferenceViolationError);
    });

    it('rolls a failed transaction back whole, nested calls included', async () => {
      await expect(
        db.transaction(async (trx) => {
          await trx.insertInto('projects').values({ id: 'p9', name: 'Nine', enabled: false, size_bytes: 0, extra: null, created_at: nowTimestamp() }).execute();
          await db.transaction(async () => {
            throw new Error('boom');
          });
        }),
      ).rejects.toThrow('boom');
      expect(await db.kysely.selectFrom('projects').select('id').where('id', '=', 'p9').execute()).toEqual([]);
    });

    it('orders timestamps as text', async () => {
      const a = nowTimestamp(new Date('2026-01-01T00:00:00.001Z'));
      const b = nowTimestamp(new Date('2026-01-01T00:00:00.010Z'));
      expect(a < b).toBe(true);
      expect(a).toBe('2026-01-01T00:00:00.001000Z');
    });
  });
}
