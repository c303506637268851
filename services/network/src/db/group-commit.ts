import type { Database } from '@nimbus/db';
import { CompiledQuery, type Kysely } from 'kysely';

/** The most units one SQLite transaction carries before it commits. */
const MAX_UNITS_PER_COMMIT = 64;

interface Unit {
  fn: (trx: Kysely<any>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

const BEGIN = CompiledQuery.raw('begin');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');
const SAVEPOINT = CompiledQuery.raw('savepoint unit');
const RELEASE = CompiledQuery.raw('release unit');
const ROLLBACK_UNIT = CompiledQuery.raw('rollback to unit');

/**
 * Group commit for SQLite, whose one connection already runs transactions one after another:
 * units of work queued while one runs share the next `BEGIN … COMMIT`, each under its own
 * savepoint, so a unit that throws undoes only itself and gets its error at once, while the
 * others are answered after the shared commit (never before their writes are durable). A commit
 * costs about as much as the rest of a small write; sharing it among the requests that arrived
 * meanwhile takes it off each one's bill. A failed commit fails every unit of its batch.
 *
 * Units run strictly one at a time, as plain transactions on this connection would, so a unit
 * sees its predecessors' writes and never interleaves with them; a unit that waits on something
 * slow (a driver, another service) delays the whole batch, as it held the connection before.
 */
export class GroupCommitter {
  private readonly queue: Unit[] = [];
  private running = false;

  constructor(private readonly kysely: Kysely<any>) {}

  /** Runs `fn` as one unit of the next shared transaction; answers after that transaction commits. */
  run<R>(fn: (trx: Kysely<any>) => Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) await this.kysely.connection().execute((conn) => this.batch(conn));
    } catch (err) {
      // The connection could not be had (closed database): nothing queued can run.
      for (const unit of this.queue.splice(0)) unit.reject(err);
    } finally {
      this.running = false;
    }
  }

  private async batch(conn: Kysely<any>): Promise<void> {
    const done: { unit: Unit; value: unknown }[] = [];
    let current: Unit | undefined;
    try {
      await conn.executeQuery(BEGIN);
      for (let n = 0; n < MAX_UNITS_PER_COMMIT && this.queue.length; n++) {
        current = this.queue.shift()!;
        await conn.executeQuery(SAVEPOINT);
        let value: unknown;
        try {
          value = await current.fn(conn);
        } catch (err) {
          const failed = current;
          current = undefined;
          failed.reject(err);
          await conn.executeQuery(ROLLBACK_UNIT);
          await conn.executeQuery(RELEASE);
          continue;
        }
        await conn.executeQuery(RELEASE);
        done.push({ unit: current, value });
        current = undefined;
      }
      await conn.executeQuery(COMMIT);
    } catch (err) {
      await conn.executeQuery(ROLLBACK).catch(() => undefined);
      current?.reject(err);
      for (const d of done) d.unit.reject(err);
      return;
    }
    for (const d of done) d.unit.resolve(d.value);
  }
}

const committers = new WeakMap<Kysely<any>, GroupCommitter>();

/** The group committer of a SQLite database (one per connection), or undefined on the servers. */
export function groupCommitterOf(db: Database<any>): GroupCommitter | undefined {
  if (db.dialect !== 'sqlite') return undefined;
  let committer = committers.get(db.kysely);
  if (!committer) {
    committer = new GroupCommitter(db.kysely);
    committers.set(db.kysely, committer);
  }
  return committer;
}
