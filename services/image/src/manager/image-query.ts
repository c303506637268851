import type { ImageRecord } from '../db/repositories/image-repository';
import { badRequest } from './image-errors';

/** The list filters and ordering of `GET /v2/images`, parsed. */
export interface ImageQuery {
  filters: ((i: ImageRecord) => boolean)[];
  /** Whether a filter reads tags or additional properties (they are then loaded for every image). */
  needsDetails: boolean;
  sort: { key: string; dir: 'asc' | 'desc' }[];
  marker?: string;
  limit: number;
  visibility?: string;
  memberStatus: string;
}

const SORT_KEYS: Record<string, (i: ImageRecord) => string | number | null> = {
  name: (i) => i.name,
  status: (i) => i.status,
  container_format: (i) => i.containerFormat,
  disk_format: (i) => i.diskFormat,
  size: (i) => i.size,
  id: (i) => i.id,
  created_at: (i) => i.createdAt,
  updated_at: (i) => i.updatedAt,
  visibility: (i) => i.visibility,
  owner: (i) => i.owner,
  min_disk: (i) => i.minDisk,
  min_ram: (i) => i.minRam,
};

const intParam = (name: string, v: string) => {
  if (!/^-?\d+$/.test(v)) throw badRequest(`Invalid value for ${name}: ${v}`);
  return Number(v);
};
const bool = (name: string, v: string) => {
  const l = v.toLowerCase();
  if (['true', '1', 'yes', 'on', 't', 'y'].includes(l)) return true;
  if (['false', '0', 'no', 'off', 'f', 'n'].includes(l)) return false;
  throw badRequest(`Invalid value '${v}' for parameter '${name}'`);
};

/** Parses the query string of an image list (filters, sort, marker, limit) as Glance reads it. */
export function parseImageQuery(
  q: Record<string, string | string[]>,
  limits: { default: number; max: number },
): ImageQuery {
  const one = (n: string) => {
    const v = q[n];
    return Array.isArray(v) ? v[v.length - 1] : v;
  };
  const filters: ImageQuery['filters'] = [];
  for (const [param, field] of [
    ['name', 'name'],
    ['status', 'status'],
    ['owner', 'owner'],
    ['disk_format', 'diskFormat'],
    ['container_format', 'containerFormat'],
  ] as const) {
    const v = one(param);
    if (v !== undefined) {
      const values = v.startsWith('in:') ? v.slice(3).split(',') : [v];
      filters.push((i) => values.includes(String(i[field] ?? '')));
    }
  }
  const size = one('size');
  if (size !== undefined)
    filters.push(
      (
        (n) => (i: ImageRecord) =>
          i.size === n
      )(intParam('size', size)),
    );
  const sizeMin = one('size_min');
  if (sizeMin !== undefined)
    filters.push(
      (
        (n) => (i: ImageRecord) =>
          (i.size ?? -1) >= n
      )(intParam('size_min', sizeMin)),
    );
  const sizeMax = one('size_max');
  if (sizeMax !== undefined)
    filters.push(
      (
        (n) => (i: ImageRecord) =>
          i.size !== null && i.size <= n
      )(intParam('size_max', sizeMax)),
    );
  const prot = one('protected');
  if (prot !== undefined)
    filters.push(
      (
        (b) => (i: ImageRecord) =>
          i.protected === b
      )(bool('protected', prot)),
    );
  const hidden = one('os_hidden');
  const wantHidden = hidden === undefined ? false : bool('os_hidden', hidden);
  filters.push((i) => i.osHidden === wantHidden);
  const tags = q.tag === undefined ? [] : Array.isArray(q.tag) ? q.tag : [q.tag];
  if (tags.length) filters.push((i) => tags.every((t) => i.tags.includes(t)));
  let needsDetails = tags.length > 0;
  const known = new Set([
    'size',
    'name',
    'status',
    'owner',
    'disk_format',
    'container_format',
    'size_min',
    'size_max',
    'protected',
    'os_hidden',
    'tag',
    'sort',
    'sort_key',
    'sort_dir',
    'marker',
    'limit',
    'visibility',
    'member_status',
    'changes-since',
    'id',
    'created_at',
    'updated_at',
  ]);
  for (const [k, v] of Object.entries(q)) {
    // Any other parameter filters on an additional property of that name.
    if (!known.has(k)) {
      needsDetails = true;
      filters.push((i) => i.properties[k] === (Array.isArray(v) ? v[v.length - 1] : v));
    }
  }

  const sort: ImageQuery['sort'] = [];
  const sortParam = one('sort');
  if (sortParam !== undefined) {
    if (q.sort_key !== undefined || q.sort_dir !== undefined)
      throw badRequest('The "sort" parameter cannot be used together with "sort_key" or "sort_dir".');
    for (const part of sortParam.split(',')) {
      const [key = '', dir = 'desc'] = part.trim().split(':');
      if (!SORT_KEYS[key]) throw badRequest(`Invalid sort key: ${key}.`);
      if (dir !== 'asc' && dir !== 'desc') throw badRequest(`Invalid sort direction: ${dir}`);
      sort.push({ key, dir });
    }
  } else {
    const keys = q.sort_key === undefined ? [] : Array.isArray(q.sort_key) ? q.sort_key : [q.sort_key];
    const dirs = q.sort_dir === undefined ? [] : Array.isArray(q.sort_dir) ? q.sort_dir : [q.sort_dir];
    for (const [n, key] of keys.entries()) {
      if (!SORT_KEYS[key]) throw badRequest(`Invalid sort key: ${key}.`);
      const dir = dirs[n] ?? dirs[0] ?? 'desc';
      if (dir !== 'asc' && dir !== 'desc') throw badRequest(`Invalid sort direction: ${dir}`);
      sort.push({ key, dir });
    }
    if (!keys.length && dirs.length) {
      const dir = dirs[0]!;
      if (dir !== 'asc' && dir !== 'desc') throw badRequest(`Invalid sort direction: ${dir}`);
      sort.push({ key: 'created_at', dir });
    }
  }
  if (!sort.length) sort.push({ key: 'created_at', dir: 'desc' });
  if (!sort.some((s) => s.key === 'id')) sort.push({ key: 'id', dir: sort[sort.length - 1]!.dir });

  const limitParam = one('limit');
  let limit = limits.default;
  if (limitParam !== undefined) {
    limit = intParam('limit', limitParam);
    if (limit < 0) throw badRequest('limit param must be positive');
  }
  const marker = one('marker');
  const visibility = one('visibility');
  if (visibility !== undefined && !['public', 'private', 'shared', 'community', 'all'].includes(visibility))
    throw badRequest(`Invalid visibility value: ${visibility}`);
  const memberStatus = one('member_status') ?? 'accepted';
  if (!['pending', 'accepted', 'rejected', 'all'].includes(memberStatus))
    throw badRequest(`Invalid status value: ${memberStatus}`);
  return {
    filters,
    needsDetails,
    sort,
    limit: Math.min(limit, limits.max),
    memberStatus,
    ...(marker !== undefined ? { marker } : {}),
    ...(visibility !== undefined ? { visibility } : {}),
  };
}

/** Orders images by the parsed sort keys (nulls first ascending, as SQL does). */
export function compareImages(sort: ImageQuery['sort']): (a: ImageRecord, b: ImageRecord) => number {
  return (a, b) => {
    for (const { key, dir } of sort) {
      const va = SORT_KEYS[key]!(a);
      const vb = SORT_KEYS[key]!(b);
      if (va === vb) continue;
      const c = va === null ? -1 : vb === null ? 1 : va < vb ? -1 : 1;
      return dir === 'asc' ? c : -c;
    }
    return 0;
  };
}
