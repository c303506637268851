import { type Database, sql } from '@nimbus/db';
import type { ImageRecord, ImageRepository } from './image-repository';

/** One page of `GET /v2/images`, as the database answers it. */
export interface ImageListSpec {
  /** The caller's project; undefined for a caller without one. */
  projectId: string | undefined;
  isAdmin: boolean;
  visibility?: string;
  memberStatus: string;
  /** Column equals one of the values (`name`, `status`, `owner`, `disk_format`...). */
  equals: { column: string; values: readonly (string | number | boolean)[] }[];
  sizeMin?: number;
  sizeMax?: number;
  tags: readonly string[];
  properties: Readonly<Record<string, string>>;
  sort: readonly { key: string; dir: 'asc' | 'desc' }[];
  marker?: string;
  limit: number;
}

/** Sort keys and how they order (nulls first, as ascending SQL puts them). */
const SORT_COLUMNS: Record<string, { column: string; nullAs: string | number | null }> = {
  name: { column: 'name', nullAs: '' },
  status: { column: 'status', nullAs: null },
  container_format: { column: 'container_format', nullAs: '' },
  disk_format: { column: 'disk_format', nullAs: '' },
  size: { column: 'size', nullAs: -1 },
  id: { column: 'id', nullAs: null },
  created_at: { column: 'created_at', nullAs: null },
  updated_at: { column: 'updated_at', nullAs: null },
  visibility: { column: 'visibility', nullAs: null },
  owner: { column: 'owner', nullAs: '' },
  min_disk: { column: 'min_disk', nullAs: null },
  min_ram: { column: 'min_ram', nullAs: null },
};

/** The sort keys Glance accepts. */
export const IMAGE_SORT_KEYS = Object.keys(SORT_COLUMNS);

const sortExpr = (key: string) => {
  const c = SORT_COLUMNS[key]!;
  return c.nullAs === null
    ? sql.ref(`image.${c.column}`)
    : sql`coalesce(${sql.ref(`image.${c.column}`)}, ${c.nullAs})`;
};

/**
 * Reads one page of visible images with every filter, the sort and the marker in SQL (keyset
 * paging from the marker's sort values), so a page costs the same with ten images or a million.
 * Returns the page without properties and tags (the repository adds them) and whether more follow.
 */
export async function listImagePage(
  db: Database,
  images: ImageRepository,
  s: ImageListSpec,
): Promise<{ page: ImageRecord[]; more: boolean; markerFound: boolean }> {
  const k = db.kysely;
  let q = k
    .selectFrom('image')
    .leftJoin('image_member as m', (j) =>
      j.onRef('m.image_id', '=', 'image.id').on('m.member', '=', s.projectId ?? ''),
    )
    .selectAll('image')
    .where('image.deleted_at', 'is', null);
  const p = s.projectId ?? '';
  const mine = sql<boolean>`image.owner = ${p}`;
  const memberOk =
    s.memberStatus === 'all'
      ? sql<boolean>`m.status is not null`
      : sql<boolean>`m.status = ${s.memberStatus}`;
  const vis = (v: string) => sql<boolean>`image.visibility = ${v}`;
  let visible: ReturnType<typeof sql<boolean>> | undefined;
  switch (s.visibility) {
    case undefined:
      visible = s.isAdmin
        ? undefined
        : sql<boolean>`(${mine} or ${vis('public')} or (${vis('shared')} and ${memberOk}))`;
      break;
    case 'all':
      visible = s.isAdmin
        ? undefined
        : sql<boolean>`(${mine} or ${vis('public')} or ${vis('community')} or (${vis('shared')} and ${memberOk}))`;
      break;
    case 'shared':
      visible = s.isAdmin
        ? sql<boolean>`(${vis('shared')} and (${mine} or ${memberOk} or m.status is null))`
        : sql<boolean>`(${vis('shared')} and (${mine} or ${memberOk}))`;
      break;
    case 'private':
      visible = s.isAdmin ? vis('private') : sql<boolean>`(${vis('private')} and ${mine})`;
      break;
    default:
      visible = vis(s.visibility);
  }
  if (visible) q = q.where(visible);
  for (const f of s.equals)
    q = q.where(
      sql.ref(`image.${f.column}`),
      'in',
      f.values.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)) as never,
    );
  if (s.sizeMin !== undefined) q = q.where('image.size', '>=', s.sizeMin);
  if (s.sizeMax !== undefined) q = q.where('image.size', '<=', s.sizeMax);
  for (const tag of s.tags)
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('image_tag')
          .select('image_tag.image_id')
          .whereRef('image_tag.image_id', '=', 'image.id')
          .where('image_tag.value', '=', tag),
      ),
    );
  for (const [name, value] of Object.entries(s.properties)) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('image_property')
          .select('image_property.image_id')
          .whereRef('image_property.image_id', '=', 'image.id')
          .where('image_property.name', '=', name)
          .where('image_property.value', '=', value),
      ),
    );
  }
  let markerFound = true;
  if (s.marker !== undefined) {
    const marker = await q.where('image.id', '=', s.marker).executeTakeFirst();
    if (!marker) return { page: [], more: false, markerFound: false };
    // Rows after the marker: (k1 after v1) or (k1 = v1 and k2 after v2) or ...
    const after = s.sort.map((key, n) => {
      const equalBefore = s.sort
        .slice(0, n)
        .map(
          (prev) => sql`${sortExpr(prev.key)} = ${markerValue(marker as Record<string, unknown>, prev.key)}`,
        );
      const beyond = sql`${sortExpr(key.key)} ${sql.raw(key.dir === 'asc' ? '>' : '<')} ${markerValue(marker as Record<string, unknown>, key.key)}`;
      return sql.join([...equalBefore, beyond], sql` and `);
    });
    q = q.where(
      sql<boolean>`(${sql.join(
        after.map((a) => sql`(${a})`),
        sql` or `,
      )})`,
    );
  }
  for (const key of s.sort) q = q.orderBy(sortExpr(key.key), key.dir);
  const rows = await images.fromRows((await q.limit(s.limit + 1).execute()) as Record<string, unknown>[]);
  return { page: rows.slice(0, s.limit), more: rows.length > s.limit, markerFound };
}

function markerValue(row: Record<string, unknown>, key: string): string | number {
  const c = SORT_COLUMNS[key]!;
  const v = row[c.column];
  if (v === null || v === undefined) return c.nullAs as string | number;
  return typeof v === 'bigint' ? Number(v) : (v as string | number);
}
