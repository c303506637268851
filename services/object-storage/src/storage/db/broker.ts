import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** Metadata as stored: each header with its value and the timestamp that set it ('' value: removed). */
export type TimestampedMetadata = Record<string, [value: string, timestamp: string]>;

/** A listing row of either kind, or a `subdir` entry when a delimiter folds names. */
export interface ListingRow {
  name: string;
  subdir?: boolean;
  [column: string]: unknown;
}

/** How to page and fold a listing (upstream's query parameters). */
export interface ListingQuery {
  limit: number;
  marker?: string;
  endMarker?: string;
  prefix?: string;
  delimiter?: string;
  reverse?: boolean;
}

/**
 * One SQLite database of an account or a container, as upstream keeps one file per account and
 * per container on each replica's device. The `info` table holds the status fields; the item
 * table (`object` or `container`) the listing rows, with deleted rows kept for replication.
 */
export abstract class Broker {
  readonly db: Database.Database;
  private infoCache: Record<string, string> | undefined;

  constructor(
    readonly path: string,
    protected readonly itemTable: 'object' | 'container',
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec('CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    this.createSchema();
  }

  protected abstract createSchema(): void;

  close(): void {
    this.db.close();
  }

  info(): Record<string, string> {
    if (!this.infoCache) {
      const rows = this.db.prepare('SELECT key, value FROM info').all() as { key: string; value: string }[];
      this.infoCache = Object.fromEntries(rows.map((r) => [r.key, r.value]));
    }
    return this.infoCache;
  }

  private setStmt?: Database.Statement;

  setInfo(values: Record<string, string>): void {
    this.setStmt ??= this.db.prepare(
      'INSERT INTO info (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    const stmt = this.setStmt;
    const tx = this.db.transaction(() => {
      for (const [k, v] of Object.entries(values)) stmt.run(k, v);
    });
    tx();
    if (this.infoCache) Object.assign(this.infoCache, values);
  }

  /**
   * This replica's id, set when the database is initialised (made here for older ones): a
   * replica lost and created again gets a new one, which tells the replicators pushing to it
   * that their sync points no longer hold.
   */
  replicaId(): string {
    const have = this.info().id;
    if (have) return have;
    const id = randomUUID();
    this.setInfo({ id });
    return id;
  }

  /** What replication compares to tell whether a push changed this replica's status. */
  statusDigest(): string {
    const i = this.info();
    return `${i.put_timestamp ?? ''}/${i.delete_timestamp ?? ''}/${i.metadata ?? ''}`;
  }

  /** Whether the database was ever initialised (a put_timestamp set). */
  get initialised(): boolean {
    return this.info().put_timestamp !== undefined;
  }

  /** Deleted when the last delete is newer than the last put (and, for containers, it is empty). */
  isDeleted(): boolean {
    const i = this.info();
    return (i.delete_timestamp ?? '0') > (i.put_timestamp ?? '0');
  }

  metadata(): TimestampedMetadata {
    return JSON.parse(this.info().metadata ?? '{}') as TimestampedMetadata;
  }

  /** Merges metadata by timestamp: a key takes the newer of the stored and the given value. Answers whether any did. */
  updateMetadata(updates: TimestampedMetadata): boolean {
    const current = this.metadata();
    let changed = false;
    for (const [k, [v, ts]] of Object.entries(updates)) {
      const have = current[k];
      if (!have || have[1] < ts) {
        current[k] = [v, ts];
        changed = true;
      }
    }
    if (changed) this.setInfo({ metadata: JSON.stringify(current) });
    return changed;
  }

  /** The newest row id: rows above another replica's sync point are what it has not seen. */
  maxRow(): number {
    return (
      this.db.prepare(`SELECT COALESCE(MAX(rowid), 0) AS m FROM ${this.itemTable}`).get() as { m: number }
    ).m;
  }

  /** Rows changed after a row id, oldest first, for replication. */
  abstract rowsSince(rowid: number, limit: number): { rowid: number; name: string }[];

  /** Sets metadata headers as of one timestamp (an empty value removes the key). */
  setMetadataHeaders(headers: Record<string, string>, timestamp: string): void {
    this.updateMetadata(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v, timestamp]])));
  }

  /** Current metadata values, without removed keys. */
  liveMetadata(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, [v]] of Object.entries(this.metadata())) if (v !== '') out[k] = v;
    return out;
  }

  /**
   * A listing page: names after `marker` (before, when reversed), up to `endMarker`, under
   * `prefix`; with a delimiter, names with the delimiter after the prefix fold into one subdir
   * entry, as upstream's `list_objects_iter`.
   */
  list(q: ListingQuery, columns: string): ListingRow[] {
    const out: ListingRow[] = [];
    const prefix = q.prefix ?? '';
    let marker = q.marker ?? '';
    const originalMarker = marker;
    let endMarker = q.endMarker ?? '';
    if (q.reverse) [marker, endMarker] = [endMarker, marker];
    let lower = marker;
    let upper = endMarker;
    while (out.length < q.limit) {
      const where = ['deleted = 0'];
      const args: string[] = [];
      if (lower) {
        where.push('name > ?');
        args.push(lower);
      }
      if (upper) {
        where.push('name < ?');
        args.push(upper);
      }
      if (prefix) {
        where.push('name >= ?');
        args.push(prefix);
        const after = prefixEnd(prefix);
        if (after) {
          where.push('name < ?');
          args.push(after);
        }
      }
      const sql = `SELECT name, ${columns} FROM ${this.itemTable} WHERE ${where.join(' AND ')} ORDER BY name ${q.reverse ? 'DESC' : 'ASC'} LIMIT ?`;
      const rows = this.db.prepare(sql).all(...args, q.limit - out.length) as ListingRow[];
      if (rows.length === 0) break;
      let folded = false;
      for (const row of rows) {
        if (q.delimiter) {
          const at = row.name.indexOf(q.delimiter, prefix.length);
          if (at >= 0) {
            const dir = row.name.slice(0, at + q.delimiter.length);
            if (q.reverse) upper = dir;
            else lower = row.name.slice(0, at) + String.fromCharCode(q.delimiter.charCodeAt(0) + 1);
            if (dir !== originalMarker) out.push({ name: dir, subdir: true });
            folded = true;
            break;
          }
        }
        out.push(row);
        if (q.reverse) upper = row.name;
        else lower = row.name;
        if (out.length >= q.limit) break;
      }
      if (!folded && rows.length < q.limit) break;
    }
    return out;
  }
}

/** The smallest string greater than every string starting with `prefix`. */
function prefixEnd(prefix: string): string | undefined {
  const last = prefix.charCodeAt(prefix.length - 1);
  if (last === 0xffff) return undefined;
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}
