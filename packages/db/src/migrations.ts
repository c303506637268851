import { type Kysely, sql } from 'kysely';
import type { Database, Dialect } from './database';

/** One schema change of a service. Ids sort in apply order (`0001-initial`). */
export interface Migration {
  id: string;
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

const TABLE = 'nimbus_migrations';

async function ensureTable(db: Database): Promise<void> {
  await db.kysely.schema
    .createTable(TABLE)
    .ifNotExists()
    .addColumn('id', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('applied_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}

/** The ids already applied to a database. */
export async function appliedMigrations(db: Database): Promise<string[]> {
  await ensureTable(db);
  const rows = await db.kysely.selectFrom(TABLE).select('id').orderBy('id').execute();
  return rows.map((r: { id: string }) => r.id);
}

/**
 * Applies every pending migration in id order, each in its own transaction (PostgreSQL and SQLite
 * roll DDL back; MariaDB commits DDL implicitly, so its migrations must be safe to re-run).
 * Returns the ids applied now. Safe to call at every start.
 */
export async function migrate(db: Database, migrations: readonly Migration[]): Promise<string[]> {
  const ids = new Set(migrations.map((m) => m.id));
  if (ids.size !== migrations.length) throw new Error('duplicate migration ids');
  const done = new Set(await appliedMigrations(db));
  const applied: string[] = [];
  for (const m of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
    if (done.has(m.id)) continue;
    await db.transaction(async (trx) => {
      await m.up(trx, db.dialect);
      await trx.insertInto(TABLE).values({ id: m.id, applied_at: new Date().toISOString() }).execute();
    });
    applied.push(m.id);
  }
  return applied;
}

