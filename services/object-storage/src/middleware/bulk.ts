import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
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
import { parseSwiftPath } from '../proxy/swift-path';

/** `/info` entries of bulk. */
export const bulkDeleteInfo = { max_deletes_per_request: 10_000, max_failed_deletes: 1000 };
export const bulkUploadInfo = { max_containers_per_extraction: 10_000, max_failed_extractions: 1000 };

/** Answers a bulk result as JSON, XML or text, as the Accept header asks. */
function result(req: SwiftRequest, fields: Record<string, unknown>): SwiftResponse {
  const accept = req.headers.accept ?? '';
  if (accept.includes('application/json'))
    return response(200, JSON.stringify(fields), { 'content-type': 'application/json; charset=utf-8' });
  const text = Object.entries(fields)
    .map(
      ([k, v]) =>
        `${k}: ${Array.isArray(v) ? v.map((e) => (Array.isArray(e) ? e.join(', ') : e)).join('\n') : v}`,
    )
    .join('\n');
  return response(200, `${text}\n`, { 'content-type': 'text/plain; charset=utf-8' });
}

/**
 * Bulk operations: `?bulk-delete` (POST or DELETE with one URL-encoded `/container[/object]`
 * per line) and `?extract-archive=tar|tar.gz` (a PUT whose tar entries become objects).
 */
export function bulk(): Middleware {
  return (next, root) => async (req) => {
    const p = parseSwiftPath(req.path);
    if (!p) return next(req);
    if (req.query.has('bulk-delete') && (req.method === 'POST' || req.method === 'DELETE'))
      return bulkDelete(req, root(), `/${p.version}/${p.account}`);
    const format = req.query.get('extract-archive');
    if (format !== null && req.method === 'PUT')
      return extract(req, root(), format, p.version, p.account, p.container, p.object);
    return next(req);
  };
}

async function bulkDelete(req: SwiftRequest, root: Handler, base: string): Promise<SwiftResponse> {
  let text: string;
  try {
    text = (await readBody(req.body, 10 * 1024 * 1024)).toString('utf8');
  } catch {
    return errorResponse(413);
  }
  const paths = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (paths.length > bulkDeleteInfo.max_deletes_per_request)
    return errorResponse(413, `Maximum Bulk Deletes: ${bulkDeleteInfo.max_deletes_per_request} per request`);
  let deleted = 0;
  let notFound = 0;
  const errors: [string, string][] = [];
  // Objects before their containers.
  const decoded = paths.map((l) => {
    try {
      return decodeURIComponent(l).replace(/^\//, '');
    } catch {
      return l.replace(/^\//, '');
    }
  });
  decoded.sort((a, b) => Number(b.includes('/')) - Number(a.includes('/')));
  for (const path of decoded) {
    const res = await root(subrequest(req, 'DELETE', `${base}/${path}`, {}, undefined, 'BD'));
    discardBody(res.body);
    if (res.status === 204) deleted++;
    else if (res.status === 404) notFound++;
    else errors.push([`/${path}`, `${res.status}`]);
  }
  const status = errors.length
    ? errors.some((e) => e[1] === '401')
      ? '401 Unauthorized'
      : errors.some((e) => e[1] === '409')
        ? '409 Conflict'
        : '400 Bad Request'
    : '200 OK';
  return result(req, {
    'Number Deleted': deleted,
    'Number Not Found': notFound,
    'Response Body': '',
    'Response Status': status,
    Errors: errors,
  });
}

async function extract(
  req: SwiftRequest,
  root: Handler,
  format: string,
  version: string,
  account: string,
  container?: string,
  prefix?: string,
): Promise<SwiftResponse> {
  if (format !== 'tar' && format !== 'tar.gz' && format !== 'tgz')
    return errorResponse(400, 'Unsupported archive format');
  const extractor = tar.extract();
  const source = Readable.from(req.body ?? []);
  (format === 'tar' ? source : source.pipe(createGunzip())).pipe(extractor);
  let created = 0;
  const errors: [string, string][] = [];
  const made = new Set<string>();
  try {
    for await (const entry of extractor) {
      const h = entry.header;
      if (h.type !== 'file') {
        entry.resume();
        continue;
      }
      let name = h.name.replace(/^\.?\//, '');
      if (container) name = `${container}/${prefix ? `${prefix.replace(/\/?$/, '/')}` : ''}${name}`;
      const slash = name.indexOf('/');
      if (slash <= 0 || slash === name.length - 1) {
        entry.resume();
        errors.push([`/${name}`, '400 Bad Request']);
        continue;
      }
      const cont = name.slice(0, slash);
      if (!made.has(cont)) {
        const head = await root(
          subrequest(req, 'HEAD', `/${version}/${account}/${cont}`, {}, undefined, 'EA'),
        );
        discardBody(head.body);
        if (head.status === 404) {
          const put = await root(
            subrequest(req, 'PUT', `/${version}/${account}/${cont}`, {}, undefined, 'EA'),
          );
          discardBody(put.body);
          if (put.status >= 300) {
            entry.resume();
            errors.push([`/${cont}`, String(put.status)]);
            continue;
          }
        }
        made.add(cont);
      }
      const data = await readBody(entry as unknown as AsyncIterable<Buffer>);
      const put = await root(
        subrequest(
          req,
          'PUT',
          `/${version}/${account}/${name}`,
          { 'content-length': String(data.length) },
          Readable.from([data]),
          'EA',
        ),
      );
      discardBody(put.body);
      if (put.status === 201) created++;
      else errors.push([`/${name}`, String(put.status)]);
    }
  } catch {
    return result(req, {
      'Number Files Created': created,
      'Response Body': 'Invalid Tar File',
      'Response Status': '400 Bad Request',
      Errors: errors,
    });
  }
  return result(req, {
    'Number Files Created': created,
    'Response Body': '',
    'Response Status': errors.length ? '400 Bad Request' : '201 Created',
    Errors: errors,
  });
}
