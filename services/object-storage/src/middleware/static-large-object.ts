import { createHash } from 'node:crypto';
import {
  discardBody,
  errorResponse,
  type Handler,
  type Middleware,
  readBody,
  response,
  type SwiftRequest,
  type SwiftResponse,
  subrequest,
} from '../common/swift-http';
import { isoDate } from '../common/timestamp';
import { parseSwiftPath } from '../proxy/swift-path';
import { manifestsWhole, type Segment, segmentedResponse } from './segments';

/** `/info` entry of slo. */
export const sloInfo = {
  max_manifest_segments: 1000,
  max_manifest_size: 8_388_608,
  yield_frequency: 10,
  min_segment_size: 1,
};

/** A manifest entry as stored (upstream's internal format). */
interface StoredSegment {
  name: string;
  hash: string;
  bytes: number;
  content_type?: string;
  last_modified?: string;
  range?: string;
}

/** A manifest entry as a client sends it. */
interface ClientSegment {
  path?: string;
  etag?: string | null;
  size_bytes?: number | null;
  range?: string;
}

function parseSegmentRange(range: string, size: number): [number, number] | undefined {
  const m = /^(\d*)-(\d*)$/.exec(range.replace(/^bytes=/, ''));
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') return [Math.max(0, size - Number(m[2])), size - 1];
  const s = Number(m[1]);
  const e = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return s <= e && s < size ? [s, e] : undefined;
}

/**
 * Static large objects: `PUT ?multipart-manifest=put` checks every listed segment (it must
 * exist; ETag and size must match when given) and stores the manifest; GET and HEAD answer the
 * concatenation (ETag the quoted MD5 of segment ETags); `?multipart-manifest=get` answers the
 * manifest; `DELETE ?multipart-manifest=delete` removes the segments and the manifest.
 */
export function staticLargeObject(): Middleware {
  return (next, root) => async (req) => {
    const p = parseSwiftPath(req.path);
    if (!p || p.object === undefined) return next(req);
    const mode = req.query.get('multipart-manifest');
    if (req.method === 'PUT' && mode === 'put') return putManifest(req, root(), next, p.version, p.account);
    if (req.method === 'DELETE' && mode === 'delete')
      return deleteManifest(req, root(), next, p.version, p.account);
    if ((req.method === 'GET' || req.method === 'HEAD') && mode !== 'get') {
      const res = await next(manifestsWhole(req));
      if (!isSlo(res) || res.status !== 200) return res;
      if (req.method === 'HEAD') {
        const headers: Record<string, string> = {
          ...res.headers,
          etag: `"${res.headers['x-object-sysmeta-slo-etag'] ?? ''}"`,
          'x-static-large-object': 'True',
          'content-length': res.headers['x-object-sysmeta-slo-size'] ?? '0',
        };
        return response(200, undefined, headers);
      }
      const body = JSON.parse((await readBody(res.body)).toString('utf8')) as StoredSegment[];
      const segments: Segment[] = body.map((s) => {
        const r = s.range ? parseSegmentRange(s.range, s.bytes) : undefined;
        return {
          path: `/${p.version}/${p.account}/${s.name.replace(/^\//, '')}`,
          start: r ? r[0] : 0,
          end: r ? r[1] : s.bytes - 1,
        };
      });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers))
        if (!['content-length', 'etag', 'content-range'].includes(k)) headers[k] = v;
      headers.etag = `"${res.headers['x-object-sysmeta-slo-etag'] ?? ''}"`;
      headers['x-static-large-object'] = 'True';
      if (res.headers['x-object-sysmeta-slo-content-type'])
        headers['content-type'] = res.headers['x-object-sysmeta-slo-content-type'];
      return segmentedResponse(req, root(), segments, headers, 'SLO');
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && mode === 'get') {
      const res = await next(req);
      if (!isSlo(res)) return res;
      res.headers['x-static-large-object'] = 'True';
      res.headers['content-type'] = 'application/json; charset=utf-8';
      if (req.query.get('format') === 'raw' && req.method === 'GET') {
        const stored = JSON.parse((await readBody(res.body)).toString('utf8')) as StoredSegment[];
        const raw = JSON.stringify(
          stored.map((s) => ({
            path: s.name,
            etag: s.hash,
            size_bytes: s.bytes,
            ...(s.range ? { range: s.range } : {}),
          })),
        );
        delete res.headers['content-length'];
        return response(200, raw, res.headers);
      }
      return res;
    }
    if (req.method === 'PUT' && req.headers['x-static-large-object'])
      return errorResponse(
        400,
        'X-Static-Large-Object is a reserved header. To create a static large object add query param multipart-manifest=put.',
      );
    return next(req);
  };
}

function isSlo(res: SwiftResponse): boolean {
  return (res.headers['x-static-large-object'] ?? '').toLowerCase() === 'true';
}

function dropRange(headers: Record<string, string>): Record<string, string> {
  const out = { ...headers };
  delete out.range;
  return out;
}

async function putManifest(
  req: SwiftRequest,
  root: Handler,
  next: Handler,
  version: string,
  account: string,
): Promise<SwiftResponse> {
  let parsed: unknown;
  try {
    const raw = await readBody(req.body, sloInfo.max_manifest_size);
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return errorResponse(400, 'Manifest must be valid JSON.\n');
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    return errorResponse(400, 'Manifest must be a list of segments.\n');
  if (parsed.length > sloInfo.max_manifest_segments)
    return errorResponse(413, `Too many segments (max ${sloInfo.max_manifest_segments}).\n`);
  const errors: string[] = [];
  const stored: StoredSegment[] = [];
  const md5 = createHash('md5');
  let total = 0;
  for (const [i, item] of (parsed as ClientSegment[]).entries()) {
    if (
      !item ||
      typeof item !== 'object' ||
      typeof item.path !== 'string' ||
      !/^\/?[^/]+\/.+/.test(item.path)
    ) {
      errors.push(`Index ${i}: invalid path`);
      continue;
    }
    const path = item.path.replace(/^\//, '');
    const head = await root(subrequest(req, 'HEAD', `/${version}/${account}/${path}`, {}, undefined, 'SLO'));
    discardBody(head.body);
    if (head.status === 404) {
      errors.push(`/${path}, 404 Not Found`);
      continue;
    }
    if (head.status >= 300) {
      errors.push(`/${path}, ${head.status}`);
      continue;
    }
    const size = Number(head.headers['content-length'] ?? 0);
    const etag = (head.headers.etag ?? '').replace(/"/g, '');
    if (item.size_bytes !== undefined && item.size_bytes !== null && Number(item.size_bytes) !== size)
      errors.push(`/${path}, Size Mismatch`);
    if (item.etag && item.etag !== etag) errors.push(`/${path}, Etag Mismatch`);
    let range: [number, number] | undefined;
    if (item.range !== undefined) {
      range = parseSegmentRange(item.range, size);
      if (!range) errors.push(`/${path}, Unsatisfiable Range`);
    }
    if (size === 0 && i < parsed.length - 1)
      errors.push(`/${path}, Too Small; each segment must be at least 1 byte.`);
    const used = range ? range[1] - range[0] + 1 : size;
    total += used;
    md5.update(range ? `${etag}:${range[0]}-${range[1]};` : etag);
    stored.push({
      name: `/${path}`,
      hash: etag,
      bytes: size,
      content_type: head.headers['content-type'] ?? 'application/octet-stream',
      last_modified: isoDate(String(Date.parse(head.headers['last-modified'] ?? '') / 1000 || 0)),
      ...(range ? { range: `${range[0]}-${range[1]}` } : {}),
    });
  }
  if (errors.length) return errorResponse(400, `Errors:\n${errors.join('\n')}\n`);
  const sloEtag = md5.digest('hex');
  const ifMatch = req.headers.etag?.replace(/"/g, '');
  if (ifMatch && ifMatch !== sloEtag) return errorResponse(422);
  const body = Buffer.from(JSON.stringify(stored));
  const headers: Record<string, string> = {
    ...req.headers,
    'content-length': String(body.length),
    'x-static-large-object': 'True',
    'x-object-sysmeta-slo-etag': sloEtag,
    'x-object-sysmeta-slo-size': String(total),
    'x-object-sysmeta-container-update-override-etag': `${createHash('md5').update(body).digest('hex')}; s3_etag=${sloEtag}; slo_etag=${sloEtag}`,
  };
  delete headers.etag;
  delete headers['transfer-encoding'];
  const q = new URLSearchParams(req.query);
  q.delete('multipart-manifest');
  const res = await next({
    ...req,
    query: q,
    headers,
    body: (async function* () {
      yield body;
    })(),
  });
  if (res.status === 201) res.headers.etag = `"${sloEtag}"`;
  return res;
}

async function deleteManifest(
  req: SwiftRequest,
  root: Handler,
  next: Handler,
  version: string,
  account: string,
): Promise<SwiftResponse> {
  const get = await next({
    ...req,
    method: 'GET',
    query: new URLSearchParams({ 'multipart-manifest': 'get' }),
    headers: dropRange(req.headers),
  });
  if (get.status === 404) return errorResponse(404);
  if (!isSlo(get)) {
    discardBody(get.body);
    return next({ ...req, query: new URLSearchParams() });
  }
  const segments = JSON.parse((await readBody(get.body)).toString('utf8')) as StoredSegment[];
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
