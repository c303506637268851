import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommitter } from './group-commit';

describe('GroupCommitter', () => {
  let kysely: Kysely<any>;
  let statements: string[];

  beforeEach(async () => {
    statements = [];
    kysely = new Kysely<any>({
      dialect: new SqliteDialect({ database: new SQLite(':memory:') }),
      log: (event) => {
        statements.push(event.query.sql);
      },
    });
    await kysely.schema
      .createTable('items')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .execute();
    statements = [];
  });
  afterEach(async () => {
    await kysely.destroy();
  });

  const insert = (id: number) => async (trx: Kysely<any>) => {
    await trx.insertInto('items').values({ id }).execute();
    return id;
  };
  const ids = async () =>
    (await kysely.selectFrom('items').select('id').orderBy('id').execute()).map((r) => r.id);

  it('commits the units queued behind a running one together', async () => {
    const group = new GroupCommitter(kysely);
    const results = await Promise.all([1, 2, 3, 4, 5].map((id) => group.run(insert(id))));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(await ids()).toEqual([1, 2, 3, 4, 5]);
    // All five were queued before the connection was had: one transaction carries them.
    expect(statements.filter((s) => s === 'begin')).toHaveLength(1);
    expect(statements.filter((s) => s === 'commit')).toHaveLength(1);
  });

  it('undoes only the unit that throws and gives it its own error', async () => {
    const group = new GroupCommitter(kysely);
    const failing = async (trx: Kysely<any>) => {
      await trx.insertInto('items').values({ id: 10 }).execute();
      await trx.insertInto('items').values({ id: 2 }).execute(); // a duplicate key: the unit fails
    };
    const outcomes = await Promise.allSettled([
      group.run(insert(1)),
      group.run(insert(2)),
      group.run(failing),
      group.run(insert(3)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(await ids()).toEqual([1, 2, 3]);
  });

  it('answers a unit only once its writes are committed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
    const file = join(dir, 'db.sqlite');
    const writer = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
    const reader = new SQLite(file, { readonly: false });
    try {
      await writer.schema
        .createTable('items')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .execute();
      const group = new GroupCommitter(writer);
      // Another connection sees only committed rows.
      const committed = () =>
        reader
          .prepare('select id from items')
          .all()
          .map((r: any) => r.id as number);
      const seen = await Promise.all([1, 2, 3].map((id) => group.run(insert(id)).then(() => committed())));
      for (const [i, rows] of seen.entries()) expect(rows).toContain(i + 1);
    } finally {
      reader.close();
      await writer.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
