import { createHash } from 'node:crypto';
import {
  discardBody,
  errorResponse,
  type Handler,
  type Middleware,
  readBody,
  type SwiftRequest,
  type SwiftResponse,
  subrequest,
} from '../common/swift-http';
import { parseSwiftPath } from '../proxy/swift-path';
import { ListingError, manifestsWhole, type Segment, segmentedResponse } from './segments';
import { swiftUnquote } from './url-quote';

/** `/info` entry of dlo. */
export const dloInfo = { max_segments: 10_000 };

/** Rows per container listing page (upstream's `CONTAINER_LISTING_LIMIT`). */
const LISTING_PAGE = 10_000;

/** Largest listing page read; a page of 10,000 rows with long names stays far below it. */
const MAX_LISTING_BYTES = 64 * 1024 * 1024;

interface Row {
  name: string;
  hash: string;
  bytes: number;
}

/**
 * Why an `X-Object-Manifest` value is refused (upstream's rule on PUT): it must be
 * `<container>/<prefix>`, both non-empty, the prefix not starting with `/`, and no `?` or `&`.
 */
export function badManifestValue(value: string): string | undefined {
  const slash = value.indexOf('/');
  const container = slash < 0 ? '' : value.slice(0, slash);
  const prefix = slash < 0 ? '' : value.slice(slash + 1);
  if (!container || !prefix || value.includes('?') || value.includes('&') || prefix.startsWith('/'))
    return 'X-Object-Manifest must be in the format container/prefix';
  return undefined;
}

/**
 * Dynamic large objects: a GET or HEAD of an object with `X-Object-Manifest: <container>/<prefix>`
 * answers the concatenation of every object listed under that prefix, in name order. With one
 * listing page (fewer than 10,000 segments) it has a length and the quoted MD5 of the segments'
 * ETags; past that it is sent whole and chunked, further pages read as the body goes.
 * `?multipart-manifest=get` answers the manifest itself. A PUT or POST must give a valid value.
 */
export function dynamicLargeObject(): Middleware {
  return (next) => async (req) => {
    const p = parseSwiftPath(req.path);
    if (!p || p.object === undefined) return next(req);
    if ((req.method === 'PUT' || req.method === 'POST') && req.headers['x-object-manifest'] !== undefined) {
      const bad = badManifestValue(req.headers['x-object-manifest']);
      if (bad) return errorResponse(400, bad);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return next(req);
    if (req.query.get('multipart-manifest') === 'get') return next(req);
    const res = await next(manifestsWhole(req));
    const manifest = res.headers['x-object-manifest'];
    if (!manifest || (res.status !== 200 && res.status !== 206) || res.headers['x-static-large-object'])
      return res;
    discardBody(res.body);
    const decoded = swiftUnquote(manifest);
    const slash = decoded.indexOf('/');
    // Stored before values were checked: a manifest naming no container lists nothing sensible.
    if (slash <= 0) return errorResponse(409);
    const container = decoded.slice(0, slash);
    const prefix = decoded.slice(slash + 1);
    const containerPath = `/${p.version}/${p.account}/${container}`;
    const page = await listPage(req, next, containerPath, prefix, '');
    if (!Array.isArray(page)) return page;
    const complete = page.length < LISTING_PAGE;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers))
      if (!['content-length', 'content-range', 'etag'].includes(k)) headers[k] = v;
    if (complete) {
      const md5 = createHash('md5');
      for (const r of page) md5.update(r.hash.replace(/"/g, ''));
      headers.etag = `"${md5.digest('hex')}"`;
    }
    async function* segments(first: number, last: number): AsyncGenerator<Segment> {
      let rows = page as Row[];
      for (;;) {
        for (const r of rows) {
          if (first >= r.bytes) {
            first -= r.bytes;
            last -= r.bytes;
            continue;
          }
          if (last < 0) return;
          const path = `${containerPath}/${r.name}`;
          yield { path, start: Math.max(0, first), end: Math.min(r.bytes - 1, last), size: r.bytes };
          first -= r.bytes;
          last -= r.bytes;
        }
        if (rows.length < LISTING_PAGE || last < 0) return;
        const more = await listPage(req, next, containerPath, prefix, rows[rows.length - 1]!.name);
        if (!Array.isArray(more))
          throw new ListingError(`Got status ${more.status} listing container ${containerPath}`);
        rows = more;
      }
    }
    return segmentedResponse(req, next, {
      listing: segments,
      length: complete ? page.reduce((n, r) => n + r.bytes, 0) : undefined,
      headers,
      source: 'DLO',
    });
  };
}

/** One page of the segment container's listing, or the error response to answer instead. */
async function listPage(
  req: SwiftRequest,
  fetch: Handler,
  containerPath: string,
  prefix: string,
  marker: string,
): Promise<Row[] | SwiftResponse> {
  const list = subrequest(req, 'GET', containerPath, {}, undefined, 'DLO');
  list.query = new URLSearchParams({ format: 'json', prefix, ...(marker ? { marker } : {}) });
  const res = await fetch(list);
  if (res.status === 204) {
    discardBody(res.body);
    return [];
  }
  if (res.status !== 200) {
    if (req.method === 'HEAD') {
      discardBody(res.body);
      return { ...res, body: undefined };
    }
    return res;
  }
  try {
    const rows = JSON.parse((await readBody(res.body, MAX_LISTING_BYTES)).toString('utf8')) as unknown;
    if (!Array.isArray(rows)) throw new Error('not a list');
    for (const r of rows as Partial<Row>[])
      if (
        !r ||
        typeof r.name !== 'string' ||
        typeof r.hash !== 'string' ||
        !Number.isSafeInteger(r.bytes) ||
        r.bytes! < 0
      )
        throw new Error('bad row');
    return rows as Row[];
  } catch {
    return errorResponse(409);
  }
}
