import { IMAGE_SORT_KEYS, type ImageListSpec } from '../db/repositories/image-listing';
import { badRequest } from './image-errors';

/** The list filters, ordering and page of `GET /v2/images`, parsed (the caller is added later). */
export type ImageQuery = Omit<ImageListSpec, 'projectId' | 'isAdmin'>;

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
const dir = (d: string) => {
  if (d !== 'asc' && d !== 'desc') throw badRequest(`Invalid sort direction: ${d}`);
  return d;
};
const key = (k: string) => {
  if (!IMAGE_SORT_KEYS.includes(k)) throw badRequest(`Invalid sort key: ${k}.`);
  return k;
};

/** Query parameters that are not additional-property filters. */
const KNOWN = new Set([
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

/** Parses the query string of an image list (filters, sort, marker, limit) as Glance reads it. */
export function parseImageQuery(
  q: Record<string, string | string[]>,
  limits: { default: number; max: number },
): ImageQuery {
  const all = (n: string) =>
    q[n] === undefined ? [] : Array.isArray(q[n]) ? (q[n] as string[]) : [q[n] as string];
  const one = (n: string) => all(n).at(-1);
  const equals: ImageQuery['equals'] = [];
  for (const column of ['name', 'status', 'owner', 'disk_format', 'container_format']) {
    const v = one(column);
    if (v !== undefined) equals.push({ column, values: v.startsWith('in:') ? v.slice(3).split(',') : [v] });
  }
  const size = one('size');
  if (size !== undefined) equals.push({ column: 'size', values: [intParam('size', size)] });
  const prot = one('protected');
  if (prot !== undefined) equals.push({ column: 'protected', values: [bool('protected', prot)] });
  const hidden = one('os_hidden');
  equals.push({ column: 'os_hidden', values: [hidden === undefined ? false : bool('os_hidden', hidden)] });
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(q))
    if (!KNOWN.has(k)) properties[k] = Array.isArray(v) ? v[v.length - 1]! : v;

  const sort: { key: string; dir: 'asc' | 'desc' }[] = [];
  const sortParam = one('sort');
  if (sortParam !== undefined) {
    if (q.sort_key !== undefined || q.sort_dir !== undefined)
      throw badRequest('The "sort" parameter cannot be used together with "sort_key" or "sort_dir".');
    for (const part of sortParam.split(',')) {
      const [k = '', d = 'desc'] = part.trim().split(':');
      sort.push({ key: key(k), dir: dir(d) });
    }
  } else {
    const keys = all('sort_key');
    const dirs = all('sort_dir');
    for (const [n, k] of keys.entries()) sort.push({ key: key(k), dir: dir(dirs[n] ?? dirs[0] ?? 'desc') });
    if (!keys.length && dirs.length) sort.push({ key: 'created_at', dir: dir(dirs[0]!) });
  }
  if (!sort.length) sort.push({ key: 'created_at', dir: 'desc' });
  if (!sort.some((s) => s.key === 'id')) sort.push({ key: 'id', dir: sort[sort.length - 1]!.dir });

  const limitParam = one('limit');
  let limit = limits.default;
  if (limitParam !== undefined) {
    limit = intParam('limit', limitParam);
    if (limit < 0) throw badRequest('limit param must be positive');
  }
  const visibility = one('visibility');
  if (visibility !== undefined && !['public', 'private', 'shared', 'community', 'all'].includes(visibility))
    throw badRequest(`Invalid visibility value: ${visibility}`);
  const memberStatus = one('member_status') ?? 'accepted';
  if (!['pending', 'accepted', 'rejected', 'all'].includes(memberStatus))
    throw badRequest(`Invalid status value: ${memberStatus}`);
  const sizeMin = one('size_min');
  const sizeMax = one('size_max');
  const marker = one('marker');
  return {
    equals,
    tags: all('tag'),
    properties,
    sort,
    limit: Math.min(limit, limits.max),
    memberStatus,
    ...(sizeMin !== undefined ? { sizeMin: intParam('size_min', sizeMin) } : {}),
    ...(sizeMax !== undefined ? { sizeMax: intParam('size_max', sizeMax) } : {}),
    ...(marker !== undefined ? { marker } : {}),
    ...(visibility !== undefined ? { visibility } : {}),
  };
}
