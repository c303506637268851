import {
  discardBody,
  errorResponse,
  type Handler,
  type Middleware,
  response,
  type SwiftRequest,
  type SwiftResponse,
  subrequest,
} from '../common/swift-http';
import { parseSwiftPath } from '../proxy/swift-path';
import { putSloManifest } from './put-slo-manifest';
import { ListingError, manifestsWhole, segmentedResponse } from './segments';
import { manifestSummary, readStoredManifest, type StoredSegment, sloListing } from './slo-manifest';

export { sloInfo } from './slo-manifest';

const RESERVED =
  'X-Static-Large-Object is a reserved header. To create a static large object add query param multipart-manifest=put.';

/**
 * Static large objects: `PUT ?multipart-manifest=put` checks every listed segment and stores the
 * manifest; GET and HEAD answer the concatenation (ETag the quoted MD5 of segment ETags), each
 * segment checked against the manifest as it is read; `?multipart-manifest=get` answers the
 * manifest; `DELETE ?multipart-manifest=delete` removes the segments and the manifest. Any other
 * request carrying `X-Static-Large-Object` is refused (400): only this middleware sets it.
 */
export function staticLargeObject(): Middleware {
  return (next, root) => async (req) => {
    const p = parseSwiftPath(req.path);
    if (!p || p.object === undefined) return next(req);
    const mode = req.query.get('multipart-manifest');
    if (req.method === 'PUT' && mode === 'put')
      return putSloManifest(req, root(), next, p.version, p.account);
    if (req.method === 'DELETE' && mode === 'delete')
      return deleteManifest(req, root(), next, p.version, p.account);
    if ((req.method === 'GET' || req.method === 'HEAD') && mode !== 'get')
      return largeObject(req, next, p.version, p.account);
    if ((req.method === 'GET' || req.method === 'HEAD') && mode === 'get') return manifestItself(req, next);
    if (req.headers['x-static-large-object'] !== undefined) return errorResponse(400, RESERVED);
    return next(req);
  };
}

function isSlo(res: SwiftResponse): boolean {
  return (res.headers['x-static-large-object'] ?? '').toLowerCase() === 'true';
}

/** A stored manifest's entries; one that cannot be read counts as empty, as upstream. */
async function entriesOf(res: SwiftResponse): Promise<StoredSegment[]> {
  return readStoredManifest(res.body).catch(() => []);
}

/** GET or HEAD of a static large object: its segments, whole or the range asked. */
async function largeObject(
  req: SwiftRequest,
  next: Handler,
  version: string,
  account: string,
): Promise<SwiftResponse> {
  let res = await next(manifestsWhole(req));
  if (!isSlo(res) || res.status !== 200) return res;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers))
    if (!['content-length', 'etag', 'content-range'].includes(k)) headers[k] = v;
  if (res.headers.etag) headers['x-manifest-etag'] = res.headers.etag.replace(/"/g, '');
  headers['x-static-large-object'] = 'True';
  if (res.headers['x-object-sysmeta-slo-content-type'])
    headers['content-type'] = res.headers['x-object-sysmeta-slo-content-type'];
  const sysEtag = res.headers['x-object-sysmeta-slo-etag'];
  const sysSize = res.headers['x-object-sysmeta-slo-size'];
  const size = sysSize !== undefined && /^\d+$/.test(sysSize) ? Number(sysSize) : undefined;
  if (req.method === 'HEAD' && sysEtag && size !== undefined) {
    discardBody(res.body);
    return response(200, undefined, { ...headers, etag: `"${sysEtag}"`, 'content-length': String(size) });
  }
  if (req.method === 'HEAD') {
    // No sysmeta (an old manifest): read the manifest to work out length and ETag.
    discardBody(res.body);
    const get = subrequest(req, 'GET', req.path, {}, undefined, 'SLO');
    get.query.set('multipart-manifest', 'get');
    res = await next(get);
    if (!isSlo(res) || res.status !== 200) {
      discardBody(res.body);
      return errorResponse(res.status >= 500 ? 503 : 409);
    }
  }
  const entries = await entriesOf(res);
  let summary: { length: number; etag: string };
  try {
    summary = manifestSummary(entries);
  } catch (err) {
    if (err instanceof ListingError) return errorResponse(409);
    throw err;
  }
  const length = size ?? summary.length;
  headers.etag = `"${sysEtag || summary.etag}"`;
  if (req.method === 'HEAD')
    return response(200, undefined, { ...headers, 'content-length': String(length) });
  return segmentedResponse(req, next, {
    listing: sloListing(req, next, version, account, entries),
    length,
    headers,
    source: 'SLO',
  });
}

/** `?multipart-manifest=get`: the manifest as stored, or (`format=raw`) as a client would PUT it. */
async function manifestItself(req: SwiftRequest, next: Handler): Promise<SwiftResponse> {
  const res = await next(req);
  if (!isSlo(res)) return res;
  res.headers['x-static-large-object'] = 'True';
  res.headers['content-type'] = 'application/json; charset=utf-8';
  if (req.query.get('format') !== 'raw' || req.method !== 'GET') return res;
  const raw = JSON.stringify(
    (await entriesOf(res)).map((s) => ({
      path: s.name,
      etag: s.hash,
      size_bytes: s.bytes,
      ...(s.range ? { range: s.range } : {}),
    })),
  );
  delete res.headers['content-length'];
  return response(200, raw, res.headers);
}

async function deleteManifest(
  req: SwiftRequest,
  root: Handler,
  next: Handler,
  version: string,
  account: string,
): Promise<SwiftResponse> {
  const headers = { ...req.headers };
  delete headers.range;
  const get = await next({
    ...req,
    method: 'GET',
    query: new URLSearchParams({ 'multipart-manifest': 'get' }),
    headers,
  });
  if (get.status === 404) {
    discardBody(get.body);
    return errorResponse(404);
  }
  if (!isSlo(get)) {
    discardBody(get.body);
    return next({ ...req, query: new URLSearchParams() });
  }
  const segments = await entriesOf(get);
  let deleted = 0;
  let notFound = 0;
  const errors: [string, string][] = [];
  for (const s of segments) {
    const r = await root(
      subrequest(req, 'DELETE', `/${version}/${account}/${s.name.replace(/^\//, '')}`, {}, undefined, 'SLO'),
    );
    discardBody(r.body);
    if (r.status === 204) deleted++;
    else if (r.status === 404) notFound++;
    else errors.push([s.name, String(r.status)]);
  }
  const r = await next({ ...req, query: new URLSearchParams() });
  discardBody(r.body);
  if (r.status === 204) deleted++;
  else if (r.status === 404) notFound++;
  const result = {
    'Number Deleted': deleted,
    'Number Not Found': notFound,
    'Response Body': '',
    'Response Status': errors.length ? '400 Bad Request' : '200 OK',
    Errors: errors,
  };
  return response(200, JSON.stringify(result), { 'content-type': 'application/json; charset=utf-8' });
}
