import type { ApiRequest } from '@nimbus/http';
import { nextPageHref } from '@nimbus/http';
import type { Caller } from '../manager/caller';
import { CinderInvalid, CinderNotFound } from '../manager/cinder-errors';
import type { BlockStorageServices } from './block-storage-services';

/** A request to the block-storage API. */
export type Req<B = any> = ApiRequest<B, BlockStorageServices>;

/** The caller of a request, as the managers see it. */
export function callerOf(req: Req): Caller {
  const c = req.credentials;
  return {
    projectId: c.projectId ?? '',
    userId: c.userId,
    isAdmin: c.roles.includes('admin'),
    requestId: req.requestId,
    token: c.token,
  };
}

/** Checks a rule against the caller with the resource's project as target. */
export function authorize(req: Req, action: string, projectId?: string): void {
  req.authorize(action, { project_id: projectId ?? req.credentials.projectId ?? '' });
}

/** The `{project_id}` of the URL must be the caller's project (as Cinder's API router requires). */
export function checkProject(req: Req): void {
  const p = req.params as Record<string, string>;
  if (
    p.project_id &&
    req.credentials.projectId &&
    p.project_id !== req.credentials.projectId &&
    !callerOf(req).isAdmin
  ) {
    throw new CinderNotFound('Project', p.project_id);
  }
}

/** Reads a JSON body's top-level object (`{"volume": {...}}`); 400 when absent. */
export function bodyOf<T = Record<string, unknown>>(req: Req, key: string): T {
  const b = req.body as Record<string, unknown> | undefined;
  const v = b && typeof b === 'object' ? b[key] : undefined;
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new CinderInvalid(`Missing required element '${key}' in request body.`);
  }
  return v as T;
}

/** oslo's `strutils.bool_from_string(strict=True)`: 400 on anything else. */
export function parseBool(value: unknown, name: string): boolean {
  if (typeof value === 'boolean') return value;
  const s = String(value).trim().toLowerCase();
  if (['1', 't', 'true', 'on', 'y', 'yes'].includes(s)) return true;
  if (['0', 'f', 'false', 'off', 'n', 'no'].includes(s)) return false;
  throw new CinderInvalid(`Invalid value '${String(value)}' for ${name}: must be a boolean.`);
}

/** A query parameter as one string. */
export function q(req: Req, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (Array.isArray(v)) return v.length ? String(v[v.length - 1]) : undefined;
  return v === undefined ? undefined : String(v);
}

/** Metadata as Cinder accepts it: string keys 1..255, string values up to 255. */
export function checkMetadata(metadata: unknown): Record<string, string> {
  if (metadata === undefined || metadata === null) return {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new CinderInvalid('Invalid input received: metadata must be an object.');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata as Record<string, unknown>)) {
    if (k.length === 0 || k.length > 255)
      throw new CinderInvalid('Invalid input received: metadata key length must be 1 to 255.');
    if (typeof v !== 'string')
      throw new CinderInvalid(`Invalid input received: metadata value of ${k} must be a string.`);
    if (v.length > 255)
      throw new CinderInvalid('Invalid input received: metadata value length must be at most 255.');
    out[k] = v;
  }
  return out;
}

/** One sort key and direction. */
export interface SortKey {
  key: string;
  dir: 'asc' | 'desc';
}

/** `sort=name:asc,size` or `sort_key`/`sort_dir` (default `created_at` desc), checked against `allowed`. */
export function parseSort(req: Req, allowed: readonly string[]): SortKey[] {
  const sort = q(req, 'sort');
  const keys: SortKey[] = [];
  if (sort) {
    for (const part of sort.split(',')) {
      const [key = '', dir = 'desc'] = part.trim().split(':');
      keys.push({ key: key.trim(), dir: checkDir(dir.trim()) });
    }
  } else {
    const k = q(req, 'sort_key');
    const d = q(req, 'sort_dir');
    if (k || d) keys.push({ key: k ?? 'created_at', dir: checkDir(d ?? 'desc') });
  }
  for (const k of keys) {
    if (!allowed.includes(k.key))
      throw new CinderInvalid(`Invalid input received: Invalid sort key ${k.key}`);
  }
  if (!keys.length) keys.push({ key: 'created_at', dir: 'desc' });
  if (!keys.some((k) => k.key === 'id')) keys.push({ key: 'id', dir: keys[0]?.dir ?? 'desc' });
  return keys;
}

function checkDir(dir: string): 'asc' | 'desc' {
  const d = dir.toLowerCase();
  if (d !== 'asc' && d !== 'desc')
    throw new CinderInvalid(`Invalid input received: Invalid sort direction ${dir}`);
  return d;
}

/** Sorts records by keys (`get` reads a key's value). */
export function sortRecords<T>(items: T[], keys: SortKey[], get: (item: T, key: string) => unknown): T[] {
  return [...items].sort((a, b) => {
    for (const { key, dir } of keys) {
      const x = get(a, key);
      const y = get(b, key);
      if (x === y) continue;
      const c = x === null || x === undefined ? -1 : y === null || y === undefined ? 1 : x < y ? -1 : 1;
      return dir === 'asc' ? c : -c;
    }
    return 0;
  });
}

/** The paging parameters of a list request, checked. */
export interface PageParams {
  limit?: number;
  marker?: string;
  offset: number;
  /** The page size: `limit`, capped by the API's maximum. */
  effective: number;
}

export function pageParams(req: Req, maxLimit: number): PageParams {
  const rawLimit = q(req, 'limit');
  const marker = q(req, 'marker');
  const rawOffset = q(req, 'offset');
  let limit: number | undefined;
  if (rawLimit !== undefined) {
    if (!/^-?\d+$/.test(rawLimit) || Number(rawLimit) < 0) {
      throw new CinderInvalid('Invalid input received: limit param must be an integer');
    }
    limit = Number(rawLimit);
  }
  let offset = 0;
  if (rawOffset !== undefined) {
    if (!/^\d+$/.test(rawOffset))
      throw new CinderInvalid('Invalid input received: offset param must be an integer');
    offset = Number(rawOffset);
  }
  return { limit, ...(marker ? { marker } : {}), offset, effective: Math.min(limit ?? maxLimit, maxLimit) };
}

/**
 * A page's items and next link. As upstream: a full page links to the next one, even when that
 * one turns out empty (`more`: whether records lie beyond this page).
 */
export function pageOf<T extends { id: string }>(
  req: Req,
  slice: T[],
  params: PageParams,
  more: boolean,
): { items: T[]; next?: string } {
  const last = slice[slice.length - 1];
  const full = slice.length === params.effective && (params.limit !== undefined || more);
  return { items: slice, ...(full && last ? { next: nextPageHref(req, last.id, params.limit) } : {}) };
}

/** Applies `marker`, `limit` and `offset` to records in memory, and builds the next link. */
export function page<T extends { id: string }>(
  req: Req,
  items: T[],
  maxLimit: number,
  notFound: (marker: string) => Error,
): { items: T[]; next?: string } {
  const params = pageParams(req, maxLimit);
  let start = 0;
  if (params.marker) {
    const at = items.findIndex((i) => i.id === params.marker);
    if (at < 0) throw notFound(params.marker);
    start = at + 1;
  }
  start += params.offset;
  const slice = items.slice(start, start + params.effective);
  return pageOf(req, slice, params, items.length > maxLimit);
}
