import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database';

// Each caller of Database.transaction gets a transaction of its own: a concurrent caller's writes
// commit or roll back on their own, and neither sees the other's uncommitted rows. (They once
// shared one open transaction per database.)
describe('Database.transaction with concurrent callers (SQLite)', () => {
  let db: Database;
  beforeEach(async () => {
    db = await openDatabase({ url: 'sqlite::memory:', service: 'test' });
    await db.kysely.schema
      .createTable('items')
      .addColumn('name', 'varchar(32)', (c) => c.primaryKey())
      .execute();
  });
  afterEach(async () => {
    await db.close();
  });

  const names = async () =>
    (await db.kysely.selectFrom('items').select('name').orderBy('name').execute()).map((r) => r.name);

  it('keeps a concurrent caller’s committed write when another caller rolls back', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let inserted!: () => void;
    const insertedOnce = new Promise<void>((r) => {
      inserted = r;
    });
    const failing = db.transaction(async (trx) => {
      await trx.insertInto('items').values({ name: 'a' }).execute();
      inserted();
      await gate;
      throw new Error('rolled back');
    });
    await insertedOnce;
    const succeeding = db.transaction(async (trx) => {
      await trx.insertInto('items').values({ name: 'b' }).execute();
    });
    // A correct transaction waits for the connection (SQLite has one): release the first caller.
    setTimeout(release, 20);
    await expect(failing).rejects.toThrow('rolled back');
    await succeeding;
    expect(await names()).toEqual(['b']);
  });

  it('does not show a caller another caller’s uncommitted rows', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let inserted!: () => void;
    const insertedOnce = new Promise<void>((r) => {
      inserted = r;
    });
    const writer = db.transaction(async (trx) => {
      await trx.insertInto('items').values({ name: 'a' }).execute();
      inserted();
      await gate;
      throw new Error('rolled back');
    });
    await insertedOnce;
    setTimeout(release, 20);
    const seen = await db.transaction(async (trx) =>
      (await trx.selectFrom('items').select('name').execute()).map((r) => r.name),
    );
    await expect(writer).rejects.toThrow('rolled back');
    expect(seen).toEqual([]);
  });
});
