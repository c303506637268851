import type { Database } from '@nimbus/db';
import type { Kysely } from 'kysely';

/** A row of `cinder_records`. */
interface RecordRow {
  kind: string;
  id: string;
  project_id: string | null;
  status: string | null;
  name: string | null;
  created_at: string;
  updated_at: string | null;
  doc: string;
}

/** The tables of the block-storage database. */
export interface BlockStorageTables {
  cinder_records: RecordRow;
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
 * The records of one kind: insert, get, list (by project), conditional update and delete. Lists
 * come back oldest first; filtering beyond the project and sorting are the callers' (in memory),
 * as Cinder's lists are bounded by quotas.
 */
export class RecordStore<T extends BaseRecord> {
  constructor(
    private readonly db: Database<BlockStorageTables>,
    readonly kind: string,
  ) {}

  private handle(trx?: Handle): Handle {
    return trx ?? this.db.kysely;
  }

  async insert(record: T, trx?: Handle): Promise<T> {
    await this.handle(trx).insertInto('cinder_records').values(toRow(this.kind, record)).execute();
    return record;
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
    const row = toRow(this.kind, record);
    await this.handle(trx)
      .updateTable('cinder_records')
      .set({
        project_id: row.project_id,
        status: row.status,
        name: row.name,
        updated_at: row.updated_at,
        doc: row.doc,
      })
      .where('kind', '=', this.kind)
      .where('id', '=', record.id)
      .execute();
    return record;
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
      await this.put(next, trx);
      return next;
    });
  }

  async delete(id: string, trx?: Handle): Promise<boolean> {
    const r = await this.handle(trx)
      .deleteFrom('cinder_records')
      .where('kind', '=', this.kind)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

function toRow(kind: string, record: BaseRecord): RecordRow {
  return {
    kind,
    id: record.id,
    project_id: record.project_id ?? null,
    status: record.status ?? null,
    name: record.name ?? null,
    created_at: record.created_at,
    updated_at: record.updated_at ?? null,
    doc: JSON.stringify(record),
  };
}

function fromRow<T>(row: RecordRow): T {
  return JSON.parse(row.doc) as T;
}
