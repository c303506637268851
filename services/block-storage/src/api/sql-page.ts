import type { BaseRecord, PageColumn, PageQuery, RecordStore } from '../db/record-store';
import { pageOf, pageParams, type Req, type SortKey } from './cinder-request';
import { CONTROL } from './list-filters';

/** Filters a page query can answer in SQL: column equality (`display_name` is `name`). */
export const SQL_FILTERS: Record<string, PageColumn> = {
  id: 'id',
  status: 'status',
  name: 'name',
  display_name: 'name',
};
const SQL_SORTS = new Set(['created_at', 'id', 'status']);

/**
 * A list request answered in SQL (filters on columns, sort on non-null columns, keyset paging
 * from the marker over the `(kind, project_id, created_at, id)` index), or undefined when it asks
 * for something only the in-memory path does (metadata, `~` matches, other keys or sorts).
 */
export async function sqlPage<T extends BaseRecord>(
  req: Req,
  store: RecordStore<T>,
  keys: SortKey[],
  projectId: string | undefined,
  notFound: (marker: string) => Error,
  columns: Record<string, PageColumn> = SQL_FILTERS,
): Promise<{ p: { items: T[]; next?: string }; total: number } | undefined> {
  const equals: Partial<Record<PageColumn, string>> = {};
  for (const [key, raw] of Object.entries(req.query as Record<string, unknown>)) {
    if (CONTROL.has(key)) continue;
    const column = columns[key];
    if (!column || typeof raw !== 'string' || raw === '') return undefined;
    equals[column] = raw;
  }
  if (!keys.every((k) => SQL_SORTS.has(k.key))) return undefined;
  const params = pageParams(req, req.services.options.maxLimit);
  const query: PageQuery = {
    ...(projectId !== undefined ? { projectId } : {}),
    equals,
    sort: keys as PageQuery['sort'],
    ...(params.marker ? { marker: params.marker } : {}),
    offset: params.offset,
    limit: params.effective + 1,
  };
  const rows = await store.page(query);
  if (!rows) throw notFound(String(params.marker));
  const slice = rows.slice(0, params.effective);
  const more = rows.length > params.effective || !!params.marker || params.offset > 0;
  const total = 'with_count' in (req.query as object) ? await store.countWhere(query) : slice.length;
  return { p: pageOf(req, slice, params, more), total };
}
