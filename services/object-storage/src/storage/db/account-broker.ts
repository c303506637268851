import { randomUUID } from 'node:crypto';
import { Broker } from './broker';

/** One container row as the account keeps it. */
export interface ContainerRecord {
  name: string;
  put_timestamp: string;
  delete_timestamp: string;
  object_count: number;
  bytes_used: number;
  deleted: number;
}

/** An account's database: its container listing with each container's counts, and its metadata. */
export class AccountBroker extends Broker {
  constructor(path: string) {
    super(path, 'container');
  }

  protected createSchema(): void {
    this.db.exec(`CREATE TABLE IF NOT EXISTS container (
      name TEXT PRIMARY KEY, put_timestamp TEXT NOT NULL, delete_timestamp TEXT NOT NULL,
      object_count INTEGER NOT NULL, bytes_used INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0)`);
  }

  initialise(account: string, putTimestamp: string): boolean {
    const existed = this.initialised && !this.isDeleted();
    const values: Record<string, string> = {};
    if (!this.initialised)
      Object.assign(values, { account, created_at: putTimestamp, delete_timestamp: '0', id: randomUUID() });
    if ((this.info().put_timestamp ?? '0') < putTimestamp) values.put_timestamp = putTimestamp;
    if (Object.keys(values).length) this.setInfo(values);
    return existed;
  }

  markDeleted(timestamp: string): void {
    if ((this.info().delete_timestamp ?? '0') < timestamp)
      this.setInfo({ delete_timestamp: timestamp, status_changed_at: timestamp });
  }

  /**
   * Applies a container's report: newer timestamps win; a deleted container's row is marked.
   * A row whose timestamps moved is written anew (a new row id, so the replicator sends it);
   * new counts alone are updated in place (every account replica gets the container's reports).
   * Answers whether the row changed.
   */
  putContainer(r: Omit<ContainerRecord, 'deleted'>): boolean {
    const have = this.row(r.name);
    const put = have && have.put_timestamp > r.put_timestamp ? have.put_timestamp : r.put_timestamp;
    const del =
      have && have.delete_timestamp > r.delete_timestamp ? have.delete_timestamp : r.delete_timestamp;
    const deleted = del > put && r.object_count === 0 ? 1 : 0;
    const row = [r.name, put, del, r.object_count, r.bytes_used, deleted] as const;
    if (!have || have.put_timestamp !== put || have.delete_timestamp !== del) {
      this.db
        .prepare(
          'INSERT OR REPLACE INTO container (name, put_timestamp, delete_timestamp, object_count, bytes_used, deleted) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(...row);
      return true;
    }
    if (have.object_count === r.object_count && have.bytes_used === r.bytes_used && have.deleted === deleted)
      return false;
    this.db
      .prepare('UPDATE container SET object_count = ?, bytes_used = ?, deleted = ? WHERE name = ?')
      .run(r.object_count, r.bytes_used, deleted, r.name);
    return true;
  }

  /**
   * Merges rows another replica pushed: only rows with a newer put or delete timestamp (or a
   * container this replica lacks) apply, so replicas converge instead of trading counts back
   * and forth. Answers whether any row changed.
   */
  mergeContainers(rows: readonly ContainerRecord[]): boolean {
    let changed = false;
    this.db.transaction(() => {
      for (const r of rows) {
        const have = this.row(r.name);
        if (have && r.put_timestamp <= have.put_timestamp && r.delete_timestamp <= have.delete_timestamp)
          continue;
        if (this.putContainer(r)) changed = true;
      }
    })();
    return changed;
  }

  private row(name: string): ContainerRecord | undefined {
    return this.db
      .prepare(
        'SELECT name, put_timestamp, delete_timestamp, object_count, bytes_used, deleted FROM container WHERE name = ?',
      )
      .get(name) as ContainerRecord | undefined;
  }

  totals(): { containers: number; objects: number; bytes: number } {
    const t = this.db
      .prepare(
        'SELECT COUNT(*) AS c, COALESCE(SUM(object_count), 0) AS o, COALESCE(SUM(bytes_used), 0) AS b FROM container WHERE deleted = 0',
      )
      .get() as { c: number; o: number; b: number };
    return { containers: t.c, objects: t.o, bytes: t.b };
  }

  rowsSince(rowid: number, limit: number): (ContainerRecord & { rowid: number })[] {
    return this.db
      .prepare(
        'SELECT rowid, name, put_timestamp, delete_timestamp, object_count, bytes_used, deleted FROM container WHERE rowid > ? ORDER BY rowid LIMIT ?',
      )
      .all(rowid, limit) as (ContainerRecord & { rowid: number })[];
  }
}
