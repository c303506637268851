import type { Database } from '@nimbus/db';
import type { Kysely } from 'kysely';
import { type UsageOf, usageDelta } from './usage-counters';
import { UsageStore } from './usage-store';

/** A row of `cinder_records`. */
interface RecordRow {
  kind: string;
  id: string;
  project_id: string | null;
  status: string | null;
  name: string | null;
  created_at: string;
  updated_at: string | null;
  /** The volume a snapshot, backup, attachment or transfer belongs to. */
  parent_id: string | null;
  doc: string;
}

/** A row of `cinder_usage`: one quota usage or pool allocation counter. */
interface UsageRow {
  scope: string;
  resource: string;
  in_use: number;
}

/** The tables of the block-storage database. */
export interface BlockStorageTables {
  cinder_records: RecordRow;
  cinder_usage: UsageRow;
}

/** The columns a page query may filter and sort on (they are never null for the kinds paged). */
export type PageColumn = 'id' | 'status' | 'name' | 'created_at' | 'parent_id';

/** A page of records, filtered, sorted and cut in SQL (keyset paging from a marker). */
export interface PageQuery {
  projectId?: string;
  equals?: Partial<Record<PageColumn, string>>;
  sort: { key: 'id' | 'status' | 'created_at'; dir: 'asc' | 'desc' }[];
  /** The id of the last record of the previous page. */
  marker?: string;
  offset?: number;
  limit: number;
}

/** How a kind's records touch other rows: usage counters, and the parent column. */
export interface RecordStoreOptions<T> {
  usage?: UsageOf<T>;
  parentOf?: (record: T) => string | null;
}

/** What every stored record has. */
export interface BaseRecord {
  id: string;
  project_id?: string | null;
  status?: string | null;
  name?: string | null;
  created_at: string;
  updated_at?: string | null;
}

/** Where a store finds its rows: the shared database, or the caller's open transaction. */
type Handle = Kysely<BlockStorageTables>;

/**
 * The records of one kind: insert, get, list (by project or parent), a page in SQL, conditional
 * update and delete. Every write of a counted kind moves its usage counters in the same
 * transaction, so quota checks and the scheduler read counters instead of recounting.
 */
export class RecordStore<T extends BaseRecord> {
  constructor(
    private readonly db: Database<BlockStorageTables>,
    readonly kind: string,
    private readonly options: RecordStoreOptions<T> = {},
  ) {}

  private handle(trx?: Handle): Handle {
    return trx ?? this.db.kysely;
  }

  /** Runs `fn` in the caller's transaction, or in a new one. */
  private inTransaction<R>(trx: Handle | undefined, fn: (trx: Handle) => Promise<R>): Promise<R> {
    return trx ? fn(trx) : this.db.transaction(fn);
  }

  private async count(trx: Handle, before: T | undefined, after: T | undefined): Promise<void> {
    if (!this.options.usage) return;
    await UsageStore.apply(trx, usageDelta(this.options.usage, before, after));
  }

  private row(record: T): RecordRow {
    return toRow(this.kind, record, this.options.parentOf?.(record) ?? null);
  }

  async insert(record: T, trx?: Handle): Promise<T> {
    if (!this.options.usage) {
      await this.handle(trx).insertInto('cinder_records').values(this.row(record)).execute();
      return record;
    }
    return this.inTransaction(trx, async (t) => {
      await t.insertInto('cinder_records').values(this.row(record)).execute();
      await this.count(t, undefined, record);
      return record;
    });
  }

  /** The records whose parent (volume) is one of `parentIds`, oldest first. */
  async byParent(parentIds: string[], trx?: Handle): Promise<T[]> {
    if (!parentIds.length) return [];
    const rows = await this.handle(trx)
      .selectFrom('cinder_records')
      .selectAll()
      .where('kind', '=', this.kind)
      .where('parent_id', 'in', parentIds)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => fromRow<T>(r));
  }

  /**
   * A page: equality filters on columns, sort on non-null columns, keyset from the marker
   * (undefined when the marker is not one of the records the query would see).
   */
  async page(query: PageQuery): Promise<T[] | undefined> {
    const kysely = this.db.kysely;
    let q = kysely.selectFrom('cinder_records').selectAll().where('kind', '=', this.kind);
    if (query.projectId !== undefined) q = q.where('project_id', '=', query.projectId);
    for (const [col, value] of Object.entries(query.equals ?? {}) as [PageColumn, string][]) {
      q = q.where(col, '=', value);
    }
    if (query.marker !== undefined) {
      let m = kysely
        .selectFrom('cinder_records')
        .select(['id', 'status', 'created_at'])
        .where('kind', '=', this.kind)
        .where('id', '=', query.marker);
      if (query.projectId !== undefined) m = m.where('project_id', '=', query.projectId);
      const at = await m.executeTakeFirst();
      if (!at) return undefined;
      const keys = query.sort;
      q = q.where((eb) =>
        eb.or(
          keys.map((k, i) =>
            eb.and([
              ...keys.slice(0, i).map((p) => eb(p.key, '=', String(at[p.key] ?? ''))),
              eb(k.key, k.dir === 'asc' ? '>' : '<', String(at[k.key] ?? '')),
            ]),
          ),
        ),
      );
    }
    for (const k of query.sort) q = q.orderBy(k.key, k.dir);
    q = q.limit(query.limit);
    if (query.offset) q = q.offset(query.offset);
    const rows = await q.execute();
    return rows.map((r) => fromRow<T>(r));
  }

  /** How many records a page query's filters match (`with_count`). */
  async countWhere(query: Pick<PageQuery, 'projectId' | 'equals'>): Promise<number> {
    let q = this.db.kysely
      .selectFrom('cinder_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', this.kind);
    if (query.projectId !== undefined) q = q.where('project_id', '=', query.projectId);
    for (const [col, value] of Object.entries(query.equals ?? {}) as [PageColumn, string][]) {
      q = q.where(col, '=', value);
    }
    const row = await q.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async get(id: string, trx?: Handle): Promise<T | undefined> {
    const row = await this.handle(trx)
      .selectFrom('cinder_records')
      .selectAll()
      .where('kind', '=', this.kind)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? fromRow<T>(row) : undefined;
  }

  /** Every record, or a project's, oldest first. */
  async list(filter: { projectId?: string; status?: string } = {}, trx?: Handle): Promise<T[]> {
    let q = this.handle(trx).selectFrom('cinder_records').selectAll().where('kind', '=', this.kind);
    if (filter.projectId !== undefined) q = q.where('project_id', '=', filter.projectId);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => fromRow<T>(r));
  }

  /** Records whose JSON field `key` equals `value` (a small scan of the kind). */
  async where(predicate: (record: T) => boolean, trx?: Handle): Promise<T[]> {
    return (await this.list({}, trx)).filter(predicate);
  }

  /** Replaces the record. */
  async put(record: T, trx?: Handle): Promise<T> {
    if (!this.options.usage) {
      await this.write(this.handle(trx), record);
      return record;
    }
    return this.inTransaction(trx, async (t) => {
      const before = await this.get(record.id, t);
      await this.write(t, record);
      if (before) await this.count(t, before, record);
      return record;
    });
  }

  private async write(trx: Handle, record: T): Promise<void> {
    const row = this.row(record);
    await trx
      .updateTable('cinder_records')
      .set({
        project_id: row.project_id,
        status: row.status,
        name: row.name,
        updated_at: row.updated_at,
        parent_id: row.parent_id,
        doc: row.doc,
      })
      .where('kind', '=', this.kind)
      .where('id', '=', record.id)
      .execute();
  }

  /**
   * Applies `change` when the record's status is one of `fromStatuses` (any when omitted), in one
   * transaction; answers the updated record, or undefined when it is missing or in another status.
   */
  async update(
    id: string,
    change: (record: T) => Partial<T>,
    fromStatuses?: readonly string[],
  ): Promise<T | undefined> {
    return this.db.transaction(async (trx) => {
      const current = await this.get(id, trx);
      if (!current) return undefined;
      if (fromStatuses && !fromStatuses.includes(String(current.status))) return undefined;
      const next = { ...current, ...change(current) } as T;
      await this.write(trx, next);
      await this.count(trx, current, next);
      return next;
    });
  }

  async delete(id: string, trx?: Handle): Promise<boolean> {
    if (!this.options.usage) return this.remove(this.handle(trx), id);
    return this.inTransaction(trx, async (t) => {
      const before = await this.get(id, t);
      const gone = await this.remove(t, id);
      if (gone && before) await this.count(t, before, undefined);
      return gone;
    });
  }

  private async remove(trx: Handle, id: string): Promise<boolean> {
    const r = await trx
      .deleteFrom('cinder_records')
      .where('kind', '=', this.kind)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

function toRow(kind: string, record: BaseRecord, parentId: string | null): RecordRow {
  return {
    kind,
    id: record.id,
    project_id: record.project_id ?? null,
    status: record.status ?? null,
    name: record.name ?? null,
    created_at: record.created_at,
    updated_at: record.updated_at ?? null,
    parent_id: parentId,
    doc: JSON.stringify(record),
  };
}

function fromRow<T>(row: RecordRow): T {
  return JSON.parse(row.doc) as T;
}
