import { STATUS_CODES } from 'node:http';
import { type Duplex, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { urlQuote } from '@nimbus/http';
import { StreamCutOffError, streamPipeline } from '@nimbus/service';
import tar from 'tar-stream';
import {
  discardBody,
  errorResponse,
  type Handler,
  type Middleware,
  readBody,
  reasonOf,
  response,
  type SwiftRequest,
  type SwiftResponse,
  subrequest,
} from '../common/swift-http';
import { parseSwiftPath } from '../proxy/swift-path';

/** `/info` entries of bulk. */
export const bulkDeleteInfo = { max_deletes_per_request: 10_000, max_failed_deletes: 1000 };
export const bulkUploadInfo = { max_containers_per_extraction: 10_000, max_failed_extractions: 1000 };

/** Formats a bulk result may be written in, in upstream's order of preference. */
const FORMATS = ['text/plain', 'application/json', 'application/xml', 'text/xml'];

/** The best of `FORMATS` for an Accept header (first listed wins a tie; no header means any). */
function bestFormat(accept: string | undefined): string | undefined {
  if (!accept?.trim()) return FORMATS[0];
  let best: string | undefined;
  let bestQ = 0;
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1);
    const [type, sub] = range.split('/');
    const match = FORMATS.find((f) => {
      const [ft, fs] = f.split('/');
      return (type === '*' || type === ft) && (sub === '*' || sub === fs);
    });
    if (match && q > bestQ) {
      best = match;
      bestQ = q;
    }
  }
  return best;
}

/** Python's `json.dumps` spelling (`", "` and `": "` separators, non-ASCII escaped). */
function pyJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${pyJson(k)}: ${pyJson(v)}`)
      .join(', ')}}`;
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Answers a bulk result as upstream writes it: always 200, the outcome in `Response Status`;
 * JSON, XML (`root`) or plain text as the Accept header asks.
 */
function result(
  req: SwiftRequest,
  root: 'extract' | 'delete',
  fields: Record<string, string | number>,
  errors: [string, string][],
): SwiftResponse {
  const format = bestFormat(req.headers.accept);
  if (format === 'application/json')
    return response(200, pyJson({ ...fields, Errors: errors }), {
      'content-type': 'application/json; charset=utf-8',
    });
  const keys = Object.keys(fields).sort();
  if (format?.endsWith('/xml')) {
    const tag = (k: string) => k.replace(/ /g, '_').toLowerCase();
    const body = [
      `<${root}>\n`,
      ...keys.map((k) => `<${tag(k)}>${xmlEscape(String(fields[k]))}</${tag(k)}>\n`),
      '<errors>\n',
      ...errors.map(
        ([n, s]) => `<object><name>${xmlEscape(n)}</name><status>${xmlEscape(s)}</status></object>\n`,
      ),
      `</errors>\n</${root}>\n`,
    ].join('');
    return response(200, body, { 'content-type': `${format}; charset=utf-8` });
  }
  const text = [
    ...keys.map((k) => `${k}: ${fields[k]}\n`),
    'Errors:\n',
    ...errors.map(([n, s]) => `${n}, ${s}\n`),
  ];
  return response(200, text.join(''), { 'content-type': 'text/plain; charset=utf-8' });
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
  return result(
    req,
    'delete',
    {
      'Response Status': status,
      'Response Body': '',
      'Number Deleted': deleted,
      'Number Not Found': notFound,
    },
    errors,
  );
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
  // tar-stream's extractor is a streamx stream: Node's pipe and errors work with it, its types differ.
  const stages = (format === 'tar' ? [extractor] : [createGunzip(), extractor]) as unknown as Duplex[];
  streamPipeline(source, stages);
  let created = 0;
  let serverError = false;
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
      // A file at the top of the archive has no container: upstream skips it.
      if (slash <= 0 || slash === name.length - 1) {
        entry.resume();
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
            errors.push([urlQuote(`/${version}/${account}/${cont}`), statusLine(put.status)]);
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
      else {
        if (put.status >= 500) serverError = true;
        errors.push([urlQuote(name), statusLine(put.status)]);
      }
    }
  } catch (err) {
    const fields = {
      'Response Status': '400 Bad Request',
      'Response Body': `Invalid Tar File: ${archiveProblem(err)}`,
    };
    return result(req, 'extract', { ...fields, 'Number Files Created': created }, errors);
  }
  let status = '201 Created';
  let body = '';
  if (errors.length) status = serverError ? '502 Bad Gateway' : '400 Bad Request';
  else if (created === 0) [status, body] = ['400 Bad Request', 'Invalid Tar File: No Valid Files'];
  return result(
    req,
    'extract',
    { 'Response Status': status, 'Response Body': body, 'Number Files Created': created },
    errors,
  );
}

/** `404 Not Found`, as upstream lists a failed subrequest. */
const statusLine = (status: number) =>
  `${status} ${reasonOf(status) === 'Unknown' ? (STATUS_CODES[status] ?? 'Unknown') : reasonOf(status)}`;

/** What was wrong with an archive, in the words of Python's tarfile (upstream's reader). */
function archiveProblem(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e.code === 'Z_DATA_ERROR' && e.message === 'incorrect header check') return 'not a gzip file';
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) return 'invalid compressed data';
  if (e instanceof StreamCutOffError) return 'unexpected end of data';
  const message = e.message ?? '';
  if (/unexpected end/i.test(message)) return 'unexpected end of data';
  if (/invalid tar header/i.test(message)) return 'bad checksum';
  return message || 'invalid archive';
}
