import { TimeoutError } from '@nimbus/errors';
import { type Kysely, sql } from 'kysely';
import type { Database } from './database';

/** PostgreSQL advisory lock key of migrations (advisory locks are per database, so one key serves all). */
const POSTGRES_LOCK_KEY = 0x6e696d62; // "nimb"

/** Seconds a MariaDB migrator waits for another to finish before giving up. */
const MARIADB_LOCK_TIMEOUT_SECONDS = 600;

/** Another process held the migration lock for too long. */
export class MigrationLockTimeoutError extends TimeoutError {
  constructor(lock: string) {
    super(
      `Timed out waiting for the migration lock ${lock}: is another process stuck migrating this database?`,
      {
        code: 'DB_MIGRATION_LOCK_TIMEOUT',
      },
    );
  }
}

/**
 * Runs `fn` while holding this database's migration lock, so processes that start at once
 * migrate one after the other: PostgreSQL's session advisory lock, MariaDB's `GET_LOCK` (named
 * after the database, as its locks are server-wide). Both are held on one pooled connection for
 * the whole run and released even when `fn` throws (or by the server when the connection dies).
 * SQLite serializes with its own write lock instead: see `withSqliteWriteLock`.
 */
export async function withMigrationLock<R>(db: Database, fn: () => Promise<R>): Promise<R> {
  if (db.dialect === 'sqlite') return fn();
  return db.kysely.connection().execute(async (conn) => {
    if (db.dialect === 'postgres') {
      await sql`SELECT pg_advisory_lock(${POSTGRES_LOCK_KEY})`.execute(conn);
      try {
        return await fn();
      } finally {
        await sql`SELECT pg_advisory_unlock(${POSTGRES_LOCK_KEY})`.execute(conn);
      }
    }
    const { rows } = await sql<{
      name: string;
    }>`SELECT CONCAT('nimbus_migrate_', DATABASE()) AS name`.execute(conn);
    // Lock names are limited to 64 characters.
    const name = rows[0]!.name.slice(0, 64);
    const got = await sql<{
      got: number | null;
    }>`SELECT GET_LOCK(${name}, ${MARIADB_LOCK_TIMEOUT_SECONDS}) AS got`.execute(conn);
    if (Number(got.rows[0]?.got) !== 1) throw new MigrationLockTimeoutError(name);
    try {
      return await fn();
    } finally {
      await sql`SELECT RELEASE_LOCK(${name})`.execute(conn);
    }
  });
}

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction on one SQLite connection: it takes the database's
 * write lock at once (other processes wait up to the busy timeout), so reading what was applied
 * and applying the next migration happen under one lock.
 */
export async function withSqliteWriteLock<R>(
  db: Database,
  fn: (conn: Kysely<any>) => Promise<R>,
): Promise<R> {
  return db.kysely.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`COMMIT`.execute(conn);
      return result;
    } catch (err) {
      await sql`ROLLBACK`.execute(conn);
      throw err;
    }
  });
}
