import type { Kysely } from 'kysely';
import type { Database, Dialect } from './database';
import { withMigrationLock, withSqliteWriteLock } from './migration-lock';

/** One schema change of a service. Ids sort in apply order (`0001-initial`). */
export interface Migration {
  id: string;
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

const TABLE = 'nimbus_migrations';

async function ensureTable(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable(TABLE)
    .ifNotExists()
    .addColumn('id', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('applied_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}

async function applied(db: Kysely<any>): Promise<string[]> {
  const rows = await db.selectFrom(TABLE).select('id').orderBy('id').execute();
  return rows.map((r: { id: string }) => r.id);
}

/** The ids already applied to a database. */
export async function appliedMigrations(db: Database): Promise<string[]> {
  await ensureTable(db.kysely);
  return applied(db.kysely);
}

/**
 * Applies every pending migration in id order, each in its own transaction (PostgreSQL and SQLite
 * roll DDL back; MariaDB commits DDL implicitly, so its migrations must be safe to re-run).
 * Returns the ids applied now. Safe to call at every start, and from several processes at once:
 * they take turns (see `withMigrationLock`), and each applies only what the others had not.
 */
export async function migrate(db: Database, migrations: readonly Migration[]): Promise<string[]> {
  const ids = new Set(migrations.map((m) => m.id));
  if (ids.size !== migrations.length) throw new Error('duplicate migration ids');
  const sorted = [...migrations].sort((a, b) => a.id.localeCompare(b.id));
  if (db.dialect === 'sqlite') return migrateSqlite(db, sorted);
  return withMigrationLock(db, async () => {
    const done = new Set(await appliedMigrations(db));
    const now: string[] = [];
    for (const m of sorted) {
      if (done.has(m.id)) continue;
      await db.transaction(async (trx) => {
        await m.up(trx, db.dialect);
        await trx.insertInto(TABLE).values({ id: m.id, applied_at: new Date().toISOString() }).execute();
      });
      now.push(m.id);
    }
    return now;
  });
}

/**
 * SQLite: each migration in its own `BEGIN IMMEDIATE` transaction that first reads what is
 * applied, so another process on the same file waits for the write lock and then skips it.
 */
async function migrateSqlite(db: Database, sorted: readonly Migration[]): Promise<string[]> {
  const now: string[] = [];
  await withSqliteWriteLock(db, (conn) => ensureTable(conn));
  // Applied migrations stay applied: only the others need the lock.
  const done = new Set(await applied(db.kysely));
  for (const m of sorted.filter((x) => !done.has(x.id))) {
    const ran = await withSqliteWriteLock(db, async (conn) => {
      if ((await applied(conn)).includes(m.id)) return false;
      await m.up(conn, db.dialect);
      await conn.insertInto(TABLE).values({ id: m.id, applied_at: new Date().toISOString() }).execute();
      return true;
    });
    if (ran) now.push(m.id);
  }
  return now;
}
