import { type Database, mapDriverError } from '@nimbus/db';
import type { Kysely } from 'kysely';
import type { PlacementTables } from './placement-tables';

/** A transaction handle (or the database itself for reads). */
export type Tx = Kysely<PlacementTables>;

/** What a write may have changed: only allocations (and consumers), or anything. */
export type WriteKind = 'allocations' | 'any';

let committed = 0;
let structural = 0;

/** Transactions this process committed: part of the candidate snapshot's change stamp. */
export function committedWrites(): number {
  return committed;
}

/** Transactions this process committed that may have changed more than allocations. */
export function structuralWrites(): number {
  return structural;
}

/** Counts a transaction committed outside `writeTransaction` (the synchronous SQLite path). */
export function noteCommitted(kind: WriteKind = 'any'): void {
  committed++;
  if (kind === 'any') structural++;
}

/** Attempts of a transaction a deadlock or serialization failure interrupted. */
const DEADLOCK_RETRIES = 10;

/**
 * Runs `fn` in its own transaction, mapping constraint errors to Nimbus errors and retrying on
 * deadlocks and serialization failures (PostgreSQL 40P01/40001, MariaDB 1213/1205). Each call
 * gets its own transaction: concurrent calls never share one (SQLite serializes them on its one
 * connection; the servers isolate them and row locks order the writers).
 */
export async function writeTransaction<R>(
  db: Database<PlacementTables>,
  fn: (trx: Tx) => Promise<R>,
  kind: WriteKind = 'any',
): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      // READ COMMITTED on the servers: once a writer holds a provider's row lock, its reads see
      // what the previous holder committed (MariaDB's REPEATABLE READ would show an older snapshot).
      const builder = db.kysely.transaction();
      const result = await (db.dialect === 'sqlite'
        ? builder
        : builder.setIsolationLevel('read committed')
      ).execute(fn);
      noteCommitted(kind);
      return result;
    } catch (err) {
      if (attempt < DEADLOCK_RETRIES && isRetryable(err)) {
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
        continue;
      }
      throw mapDriverError(err);
    }
  }
}

function isRetryable(err: unknown): boolean {
  const e = err as { code?: string; errno?: number };
  return (
    e?.code === '40P01' ||
    e?.code === '40001' ||
    e?.errno === 1213 ||
    e?.errno === 1205 ||
    e?.code === 'SQLITE_BUSY'
  );
}

/** Row locks (`FOR UPDATE`) where the dialect has them; SQLite's one writer needs none. */
export function canLockRows(db: Database): boolean {
  return db.dialect !== 'sqlite';
}
