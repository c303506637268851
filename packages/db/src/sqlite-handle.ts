import type { Kysely } from 'kysely';
import type { Database } from './database';

type SqliteHandle = import('better-sqlite3').Database;

const handles = new WeakMap<Kysely<any>, SqliteHandle>();

/** Records the better-sqlite3 connection behind a SQLite database (openDatabase does it). */
export function registerSqliteHandle(kysely: Kysely<any>, handle: SqliteHandle): void {
  handles.set(kysely, handle);
}

/**
 * The better-sqlite3 connection behind a SQLite database (undefined on the servers), for hot
 * paths that run a whole transaction synchronously with their own prepared statements. It is the
 * one connection Kysely also uses: such a caller must check `inTransaction` first (an open Kysely
 * transaction owns the connection until it ends) and must finish its transaction without awaiting.
 */
export function sqliteHandleOf(db: Database): SqliteHandle | undefined {
  return db.dialect === 'sqlite' ? handles.get(db.kysely) : undefined;
}
