import type { ApiRequest } from '@nimbus/http';

/** Nova's API timestamp: `2012-08-20T21:11:09Z` (no fraction). */
export function isoSeconds(ts: string | null | undefined): string | null {
  return ts ? `${ts.slice(0, 19)}Z` : null;
}

/** Nova's `OS-SRV-USG:*` timestamp: `2013-09-23T13:53:12.000000` (microseconds, no zone). */
export function isoMicros(ts: string | null | undefined): string | null {
  if (!ts) return null;
  const m = /^(.{19})(?:\.(\d+))?/.exec(ts);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(6, '0').slice(0, 6)}` : ts;
}

/** The compute endpoint's base (`http://host:8774/v2.1`) for links. */
export function apiBase(req: ApiRequest): string {
  return `${req.baseUrl}/v2.1`;
}

/** `self` and `bookmark` links of a resource, as Nova renders them. */
export function resourceLinks(
  req: ApiRequest,
  collection: string,
  id: string,
): { rel: string; href: string }[] {
  return [
    { rel: 'self', href: `${apiBase(req)}/${collection}/${id}` },
    { rel: 'bookmark', href: `${req.baseUrl}/${collection}/${id}` },
  ];
}

/** The `<collection>_links` next link for a full page. */
export function nextLink(
  req: ApiRequest,
  collection: string,
  markerId: string,
  limit: number,
): { rel: string; href: string }[] {
  const url = new URL(`${apiBase(req)}/${collection}`);
  for (const [k, v] of Object.entries(req.query as Record<string, string | string[]>)) {
    if (k === 'marker') continue;
    for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, one);
  }
  if (!url.searchParams.has('limit')) url.searchParams.set('limit', String(limit));
  url.searchParams.set('marker', markerId);
  return [{ rel: 'next', href: url.toString() }];
}
