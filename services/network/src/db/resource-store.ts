import { type Database, fromJson, mapDriverError, toBoolean, toJson } from '@nimbus/db';
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { ListQuery } from '../api/list-query';
import { groupCommitterOf } from './group-commit';

/** How an attribute is stored: a scalar column, a JSON text column, or a 0/1 boolean. */
export type ColumnKind = 'string' | 'int' | 'bool' | 'json';

/** A resource as the API shows it (attribute name → value), before field selection. */
export type Resource = Record<string, unknown>;

/** A query builder over one table, for scoping lists (visibility) and extra conditions. */
export type Scope = (qb: SelectQueryBuilder<any, any, any>) => SelectQueryBuilder<any, any, any>;

/** The column of an attribute: `router:external` → `router_external`. */
export const columnOf = (attr: string) => attr.replaceAll(':', '_');

/**
 * Rows of one resource table and their tags: standard attributes kept up to date (timestamps,
 * revision number), filters, sorting and keyset paging in SQL. Every method takes the executor
 * it runs on, so a manager composes them in one transaction.
 */
export class ResourceStore {
  constructor(
    readonly db: Database<any>,
    readonly table: string,
    /** API attribute → storage kind; attributes not listed are computed by the manager. */
    readonly columns: Readonly<Record<string, ColumnKind>>,
  ) {
    this.read = Object.entries(columns).map(([attr, kind]) => ({ attr, col: columnOf(attr), kind }));
  }

  /** The stored attributes with their columns, worked out once: every listed row is read through them. */
  private readonly read: readonly { attr: string; col: string; kind: ColumnKind }[];

  /** Inserts a new resource; `id`, timestamps and revision are set here. */
  async insert(trx: Kysely<any>, item: Resource): Promise<Resource> {
    const now = neutronTime();
    const full = { ...item, created_at: now, updated_at: now, revision_number: 0 };
    await trx.insertInto(this.table).values(this.toRow(full)).execute();
    return { ...full, tags: [] };
  }

  /** Applies changes and bumps the revision number and `updated_at`. */
  async update(trx: Kysely<any>, id: string, changes: Resource): Promise<void> {
    const row = this.toRow(changes);
    await trx
      .updateTable(this.table)
      .set({ ...row, updated_at: neutronTime(), revision_number: (eb: any) => eb('revision_number', '+', 1) })
      .where('id', '=', id)
      .execute();
  }

  /** Bumps the revision of a resource whose children changed (tags, rules, allocations). */
  async touch(trx: Kysely<any>, id: string): Promise<void> {
    await this.update(trx, id, {});
  }

  async delete(trx: Kysely<any>, id: string): Promise<void> {
    await trx.deleteFrom('tags').where('resource_id', '=', id).execute();
    await trx.deleteFrom(this.table).where('id', '=', id).execute();
  }

  /** One resource by id (with its tags), or undefined. */
  async get(trx: Kysely<any>, id: string, scope?: Scope): Promise<Resource | undefined> {
    let qb = trx.selectFrom(this.table).selectAll().where('id', '=', id);
    if (scope) qb = scope(qb);
    const row = await qb.executeTakeFirst();
    if (!row) return undefined;
    const [item] = await this.withTags(trx, [this.fromRow(row)]);
    return item;
  }

  /** Resources by a column's values (children of a parent). */
  async where(trx: Kysely<any>, attr: string, values: readonly unknown[]): Promise<Resource[]> {
    if (!values.length) return [];
    const rows = await trx
      .selectFrom(this.table)
      .selectAll()
      .where(columnOf(attr), 'in', values as any[])
      .execute();
    return this.withTags(
      trx,
      rows.map((r) => this.fromRow(r)),
    );
  }

  /**
   * A page of a list: the caller's scope, filters on stored attributes (SQL), tag filters,
   * sort keys then `id`, and the marker's keyset position; `page_reverse` walks backwards and
   * returns the page in forward order.
   */
  async list(query: ListQuery, scope?: Scope): Promise<Resource[]> {
    const k = this.db.kysely;
    let qb = k.selectFrom(this.table).selectAll();
    if (scope) qb = scope(qb);
    for (const [attr, values] of Object.entries(query.filters)) {
      const kind =
        this.columns[attr] ?? (STANDARD.includes(attr) || attr === 'tenant_id' ? 'string' : undefined);
      if (!kind || kind === 'json') continue;
      const stored = values.map((v) => (kind === 'bool' ? Boolean(v) : v));
      const col = attr === 'tenant_id' ? 'project_id' : columnOf(attr);
      const nonNull = stored.filter((v) => v !== null && v !== undefined);
      qb = qb.where((eb) =>
        eb.or([
          ...(nonNull.length ? [eb(col, 'in', nonNull as any[])] : []),
          ...(nonNull.length < stored.length ? [eb(col, 'is', null)] : []),
        ]),
      );
    }
    qb = this.tagFilters(qb, query.tags);
    const sorts = [
      ...query.sorts.map((s) => ({
        col: s.key === 'tenant_id' ? 'project_id' : columnOf(s.key),
        asc: s.ascending,
      })),
    ];
    if (!sorts.some((s) => s.col === 'id')) sorts.push({ col: 'id', asc: true });
    const walk = sorts.map((s) => ({ col: s.col, asc: query.pageReverse ? !s.asc : s.asc }));
    if (query.marker) {
      const marker = await k
        .selectFrom(this.table)
        .selectAll()
        .where('id', '=', query.marker)
        .executeTakeFirst();
      if (marker) {
        qb = qb.where((eb) =>
          eb.or(
            walk.map((s, i) =>
              eb.and([
                ...walk.slice(0, i).map((p) => eb(p.col, '=', marker[p.col])),
                eb(s.col, s.asc ? '>' : '<', marker[s.col]),
              ]),
            ),
          ),
        );
      }
    }
    for (const s of walk) qb = qb.orderBy(s.col, s.asc ? 'asc' : 'desc');
    if (query.limit) qb = qb.limit(query.limit);
    const rows = await qb.execute();
    if (query.pageReverse) rows.reverse();
    return this.withTags(
      k,
      rows.map((r) => this.fromRow(r)),
    );
  }

  private tagFilters(
    qb: SelectQueryBuilder<any, any, any>,
    tags: ListQuery['tags'],
  ): SelectQueryBuilder<any, any, any> {
    const k = this.db.kysely;
    const having = (list: string[]) =>
      k
        .selectFrom('tags')
        .select('resource_id')
        .where('tag', 'in', list)
        .groupBy('resource_id')
        .having((eb) => eb.fn.count('tag'), '=', list.length);
    const anyOf = (list: string[]) => k.selectFrom('tags').select('resource_id').where('tag', 'in', list);
    if (tags.all.length) qb = qb.where('id', 'in', having(tags.all));
    if (tags.any.length) qb = qb.where('id', 'in', anyOf(tags.any));
    if (tags.notAll.length) qb = qb.where('id', 'not in', having(tags.notAll));
    if (tags.notAny.length) qb = qb.where('id', 'not in', anyOf(tags.notAny));
    return qb;
  }

  /** Adds each resource's tags (one query for the page). */
  async withTags(trx: Kysely<any>, items: Resource[]): Promise<Resource[]> {
    if (!items.length) return items;
    const ids = items.map((i) => i.id as string);
    const byId = new Map<string, string[]>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await trx
        .selectFrom('tags')
        .select(['resource_id', 'tag'])
        .where('resource_id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) byId.set(r.resource_id, [...(byId.get(r.resource_id) ?? []), r.tag]);
    }
    for (const item of items) item.tags = (byId.get(item.id as string) ?? []).sort();
    return items;
  }

  /** API attributes → row. */
  toRow(item: Resource): Record<string, unknown> {
    const row: Record<string, unknown> = {};
    for (const [attr, value] of Object.entries(item)) {
      if (attr === 'tenant_id' || attr === 'tags') continue;
      const kind = this.columns[attr] ?? (STANDARD.includes(attr) ? 'string' : undefined);
      if (!kind) continue;
      row[columnOf(attr)] = kind === 'json' ? toJson(value) : kind === 'bool' ? Boolean(value) : value;
    }
    return row;
  }

  /** Row → API attributes (`tenant_id` beside `project_id`). */
  fromRow(row: Record<string, unknown>): Resource {
    const item: Resource = {};
    for (const attr of STANDARD) if (attr in row) item[attr] = row[attr];
    item.revision_number = Number(row.revision_number);
    for (const { attr, col, kind } of this.read) {
      const v = row[col];
      item[attr] =
        kind === 'json'
          ? fromJson(v as string, null)
          : kind === 'bool'
            ? toBoolean(v)
            : kind === 'int' && v !== null
              ? Number(v)
              : v;
    }
    item.tenant_id = item.project_id;
    return item;
  }
}

const STANDARD = ['id', 'name', 'project_id', 'description', 'created_at', 'updated_at', 'revision_number'];

/** Neutron's timestamps: UTC, whole seconds, `Z` (`2026-12-03T09:05:00Z`). */
export function neutronTime(date = new Date()): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * Runs `fn` in its own transaction (never joining another request's) and maps constraint errors.
 * On SQLite the transactions that queue up behind the one connection commit together
 * (`GroupCommitter`): `fn` still runs alone and is undone alone when it throws.
 */
export async function inTransaction<R>(db: Database<any>, fn: (trx: Kysely<any>) => Promise<R>): Promise<R> {
  try {
    const group = groupCommitterOf(db);
    return await (group ? group.run(fn) : db.kysely.transaction().execute(fn));
  } catch (err) {
    throw mapDriverError(err);
  }
}
