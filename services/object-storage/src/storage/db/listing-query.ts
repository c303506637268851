import type { ListingQuery } from './broker';

/** Reads a listing's query string, or answers why it is invalid (upstream's messages). */
export function listingQuery(query: URLSearchParams, maxLimit: number): ListingQuery | string {
  const rawLimit = query.get('limit');
  let limit = maxLimit;
  if (rawLimit !== null && rawLimit !== '') {
    if (!/^\d+$/.test(rawLimit)) return `Invalid limit: ${rawLimit}`;
    limit = Number(rawLimit);
    if (limit > maxLimit) return `Maximum limit is ${maxLimit}`;
  }
  const delimiter = query.get('delimiter') ?? undefined;
  if (delimiter !== undefined && delimiter.length > 1) return 'Bad delimiter';
  const path = query.get('path');
  const q: ListingQuery = {
    limit,
    marker: query.get('marker') ?? undefined,
    endMarker: query.get('end_marker') ?? undefined,
    prefix: query.get('prefix') ?? undefined,
    delimiter: delimiter || undefined,
    reverse: ['true', '1', 'yes', 'on', 't', 'y'].includes((query.get('reverse') ?? '').toLowerCase()),
  };
  if (path !== null) {
    q.prefix = path && !path.endsWith('/') ? `${path}/` : path;
    q.delimiter = '/';
  }
  return q;
}
