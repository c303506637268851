import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { Broker } from './broker';

/** One object row as replicas exchange them. */
export interface ObjectRecord {
  name: string;
  created_at: string;
  size: number;
  content_type: string;
  etag: string;
  deleted: number;
}

/**
 * A container's database: its listing (one row per object name, newest write wins, deletions
 * kept as rows), its counts and metadata.
 */
export class ContainerBroker extends Broker {
  constructor(path: string) {
    super(path, 'object');
  }

  protected createSchema(): void {
    this.db.exec(`CREATE TABLE IF NOT EXISTS object (
      name TEXT PRIMARY KEY, created_at TEXT NOT NULL, size INTEGER NOT NULL,
      content_type TEXT NOT NULL, etag TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0)`);
  }

  /** Creates or revives the container; answers whether it existed (live) before. */
  initialise(account: string, container: string, putTimestamp: string): boolean {
    const existed = this.initialised && !this.isDeleted();
    const i = this.info();
    const values: Record<string, string> = {};
    if (!this.initialised)
      Object.assign(values, {
        account,
        container,
        created_at: putTimestamp,
        delete_timestamp: '0',
        object_count: '0',
        bytes_used: '0',
        id: randomUUID(),
      });
    if ((i.put_timestamp ?? '0') < putTimestamp) {
      values.put_timestamp = putTimestamp;
      if (!existed) values.status_changed_at = putTimestamp;
    }
    if (Object.keys(values).length) this.setInfo(values);
    return existed;
  }

  markDeleted(timestamp: string): void {
    if ((this.info().delete_timestamp ?? '0') < timestamp)
      this.setInfo({ delete_timestamp: timestamp, status_changed_at: timestamp });
  }

  /** A container only counts as deleted once it is also empty. */
  override isDeleted(): boolean {
    return super.isDeleted() && this.objectCount() === 0;
  }

  objectCount(): number {
    return Number(this.info().object_count ?? 0);
  }

  bytesUsed(): number {
    return Number(this.info().bytes_used ?? 0);
  }

  /** Merges object rows: each name keeps its newest row; counts follow. Answers whether anything changed. */
  private statements?: { get: Database.Statement; put: Database.Statement };

  merge(records: readonly ObjectRecord[]): boolean {
    this.statements ??= {
      get: this.db.prepare('SELECT created_at, size, deleted FROM object WHERE name = ?'),
      put: this.db.prepare(
        'INSERT OR REPLACE INTO object (name, created_at, size, content_type, etag, deleted) VALUES (?, ?, ?, ?, ?, ?)',
      ),
    };
    const { get, put } = this.statements;
    let changed = false;
    const tx = this.db.transaction(() => {
      let count = this.objectCount();
      let bytes = this.bytesUsed();
      for (const r of records) {
        const have = get.get(r.name) as { created_at: string; size: number; deleted: number } | undefined;
        if (have && have.created_at >= r.created_at) continue;
        if (have && !have.deleted) {
          count--;
          bytes -= have.size;
        }
        if (!r.deleted) {
          count++;
          bytes += r.size;
        }
        put.run(r.name, r.created_at, r.size, r.content_type, r.etag, r.deleted ? 1 : 0);
        changed = true;
      }
      if (changed) this.setInfo({ object_count: String(count), bytes_used: String(bytes) });
    });
    tx();
    return changed;
  }

  /** Rows changed after a row id, oldest first, for replication. */
  rowsSince(rowid: number, limit: number): (ObjectRecord & { rowid: number })[] {
    return this.db
      .prepare(
        'SELECT rowid, name, created_at, size, content_type, etag, deleted FROM object WHERE rowid > ? ORDER BY rowid LIMIT ?',
      )
      .all(rowid, limit) as (ObjectRecord & { rowid: number })[];
  }
}
