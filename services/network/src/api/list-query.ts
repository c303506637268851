import { badRequest, httpBadRequest } from '../manager/network-errors';
import type { AttributeMap } from './attribute-spec';

/** A sort key and whether it ascends. */
export interface SortKey {
  key: string;
  ascending: boolean;
}

/** What a list request asks for, parsed as Neutron's API layer does. */
export interface ListQuery {
  /** Attribute → the values any of which matches. */
  filters: Record<string, unknown[]>;
  /** Tag filters: `tags` (all), `tags-any`, `not-tags`, `not-tags-any`. */
  tags: { all: string[]; any: string[]; notAll: string[]; notAny: string[] };
  sorts: SortKey[];
  limit: number | undefined;
  marker: string | undefined;
  pageReverse: boolean;
}

const PAGING = new Set(['fields', 'sort_key', 'sort_dir', 'limit', 'marker', 'page_reverse']);
const TAG_FILTERS = new Set(['tags', 'tags-any', 'not-tags', 'not-tags-any']);

const values = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** `?fields=a&fields=b` (comma lists too); empty when all fields are wanted. */
export function parseFields(query: Record<string, string | string[]>): string[] {
  return values(query.fields)
    .flatMap((f) => f.split(','))
    .filter((f) => f !== '');
}

/** Parses filters, sorting and paging of a list request. */
export function parseListQuery(
  query: Record<string, string | string[]>,
  attrs: AttributeMap,
  options: { filterValidation: boolean; maxLimit: number },
): ListQuery {
  const filters: Record<string, unknown[]> = {};
  const invalid: string[] = [];
  for (const [key, raw] of Object.entries(query)) {
    if (PAGING.has(key) || TAG_FILTERS.has(key)) continue;
    const spec = attrs[key];
    if (options.filterValidation && !spec?.filter) {
      invalid.push(key);
      continue;
    }
    // Neutron drops empty values unless empty-string filtering is on (it is, from Zed's extensions).
    const list = values(raw);
    if (!spec) continue;
    filters[key] = list.map((v) => (spec.convertFilter ? spec.convertFilter(v) : v));
  }
  if (invalid.length)
    throw httpBadRequest(`[${invalid.map((k) => `'${k}'`).join(', ')}] is invalid attribute for filtering`);
  const tagList = (k: string) =>
    values(query[k])
      .flatMap((v) => v.split(','))
      .filter(Boolean);
  const sortKeys = values(query.sort_key).filter(Boolean);
  const sortDirs = values(query.sort_dir).filter(Boolean);
  if (sortKeys.length !== sortDirs.length)
    throw httpBadRequest('The number of sort_keys and sort_dirs must be same');
  const absent = sortKeys.filter((k) => !attrs[k]?.sort);
  if (absent.length)
    throw httpBadRequest(`[${absent.map((k) => `'${k}'`).join(', ')}] is invalid attribute for sort_keys`);
  const badDirs = sortDirs.filter((d) => d !== 'asc' && d !== 'desc');
  if (badDirs.length)
    throw httpBadRequest(
      `[${badDirs.map((d) => `'${d}'`).join(', ')}] is invalid value for sort_dirs, valid value is 'asc' and 'desc'`,
    );
  const rawLimit = values(query.limit).at(-1) ?? '0';
  if (!/^\d+$/.test(rawLimit.trim()))
    throw badRequest('limit', `Limit must be an integer 0 or greater and not '${rawLimit}'`);
  let limit: number | undefined = Number(rawLimit);
  if (options.maxLimit > 0) limit = Math.min(options.maxLimit, limit) || options.maxLimit;
  if (!limit) limit = undefined;
  return {
    filters,
    tags: {
      all: tagList('tags'),
      any: tagList('tags-any'),
      notAll: tagList('not-tags'),
      notAny: tagList('not-tags-any'),
    },
    sorts: sortKeys.map((key, i) => ({ key, ascending: sortDirs[i] === 'asc' })),
    limit,
    marker: limit ? values(query.marker).at(-1) : undefined,
    pageReverse: (values(query.page_reverse).at(-1) ?? 'False').toLowerCase() === 'true',
  };
}
