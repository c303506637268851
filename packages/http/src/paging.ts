import { BadRequestError } from '@nimbus/errors';
import type { ApiRequest } from './api-request';

/** Marker/limit paging input. */
export interface PageQuery {
  limit: number | undefined;
  marker: string | undefined;
}

/**
 * Reads `limit` and `marker` from a query. `limit` must be a non-negative integer; above `maxLimit`
 * it is lowered to `maxLimit`, as the OpenStack APIs do.
 */
export function parsePageQuery(query: Record<string, unknown>, maxLimit: number): PageQuery {
  const rawLimit = single(query.limit);
  const marker = single(query.marker);
  let limit: number | undefined;
  if (rawLimit !== undefined) {
    if (!/^\d+$/.test(rawLimit)) throw new BadRequestError(`limit must be a non-negative integer, got '${rawLimit}'`);
    limit = Math.min(Number(rawLimit), maxLimit);
  }
  return { limit, marker };
}

/** The href of the next page: the same request with `marker` replaced. */
export function nextPageHref(req: ApiRequest, marker: string, limit: number | undefined): string {
  const url = new URL(req.url, req.baseUrl);
  url.searchParams.set('marker', marker);
  if (limit !== undefined) url.searchParams.set('limit', String(limit));
  return url.toString();
}

/** The href of this request, for `self` links. */
export function selfHref(req: ApiRequest): string {
  return new URL(req.url, req.baseUrl).toString();
}

function single(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.length ? String(value[value.length - 1]) : undefined;
  return value === undefined ? undefined : String(value);
}
