import { urlQuote } from '@nimbus/http';
import {
  chunksOf,
  discardBody,
  errorResponse,
  type Middleware,
  type SwiftRequest,
  type SwiftResponse,
  subrequest,
} from '../common/swift-http';
import { parseSwiftPath } from '../proxy/swift-path';
import { checkAccount } from './symlink';
import { swiftUnquote } from './url-quote';

/** Splits `container/object` (a leading slash allowed); undefined when either part is missing. */
function splitTarget(value: string): [string, string] | undefined {
  const v = swiftUnquote(value).replace(/^\//, '');
  const slash = v.indexOf('/');
  if (slash <= 0 || slash === v.length - 1) return undefined;
  return [v.slice(0, slash), v.slice(slash + 1)];
}

/** Headers of a source object that a copy carries over. */
function copiedHeaders(src: Record<string, string>, fresh: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(src)) {
    if (
      k === 'content-type' ||
      k === 'content-encoding' ||
      k === 'content-disposition' ||
      k === 'content-language' ||
      k === 'cache-control' ||
      k === 'expires' ||
      k === 'x-delete-at' ||
      k === 'x-object-manifest' ||
      k.startsWith('x-object-sysmeta-')
    )
      out[k] = v;
    else if (!fresh && k.startsWith('x-object-meta-')) out[k] = v;
  }
  return out;
}

/**
 * Server-side copy (upstream's `copy` middleware): `COPY` with `Destination` becomes a PUT with
 * `X-Copy-From`; that PUT reads the source through the pipeline (so the caller must be able to
 * read it) and writes it with the source's metadata, unless `X-Fresh-Metadata` asks for none,
 * and the request's own metadata on top.
 */
export function serverSideCopy(): Middleware {
  return (next, root) => async (req) => {
    const p = parseSwiftPath(req.path);
    if (!p || p.object === undefined) return next(req);
    if (req.method === 'COPY') {
      const dest = req.headers.destination;
      if (!dest) return errorResponse(412, 'Destination header required');
      let destAccount = p.account;
      if (req.headers['destination-account'] !== undefined) {
        const checked = checkAccount(req.headers['destination-account']);
        if (typeof checked !== 'string') return checked;
        destAccount = checked;
      }
      const target = splitTarget(dest);
      if (!target)
        return errorResponse(412, 'Destination header must be of the form <container name>/<object name>');
      const headers: Record<string, string> = {
        ...req.headers,
        'x-copy-from': urlQuote(`/${p.container}/${p.object}`),
        'x-copy-from-account': urlQuote(p.account),
        'content-length': '0',
      };
      delete headers.destination;
      delete headers['destination-account'];
      return copy(
        { ...req, method: 'PUT', path: `/${p.version}/${destAccount}/${target[0]}/${target[1]}`, headers },
        root,
      );
    }
    if (req.method === 'PUT' && req.headers['x-copy-from'] !== undefined) return copy(req, root);
    return next(req);
  };
}

async function copy(
  req: SwiftRequest,
  root: () => (r: SwiftRequest) => Promise<SwiftResponse>,
): Promise<SwiftResponse> {
  const p = parseSwiftPath(req.path)!;
  const source = splitTarget(req.headers['x-copy-from']!);
  if (!source)
    return errorResponse(412, 'X-Copy-From header must be of the form <container name>/<object name>');
  if (req.headers['content-length'] && req.headers['content-length'] !== '0')
    return errorResponse(400, 'Copy requests require a zero byte body');
  let srcAccount = p.account;
  if (req.headers['x-copy-from-account'] !== undefined) {
    const checked = checkAccount(req.headers['x-copy-from-account']);
    if (typeof checked !== 'string') return checked;
    srcAccount = checked;
  }
  const srcPath = `/${p.version}/${srcAccount}/${source[0]}/${source[1]}`;
  const getHeaders: Record<string, string> = {};
  for (const k of ['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'range'])
    if (req.headers[k]) getHeaders[k] = req.headers[k]!;
  const get = subrequest(req, 'GET', srcPath, getHeaders, undefined, 'SSC');
  const manifestCopy = req.query.get('multipart-manifest') === 'get';
  if (manifestCopy) {
    // A manifest is copied as a manifest: read as a client would PUT it, written through SLO's PUT.
    get.query.set('multipart-manifest', 'get');
    get.query.set('format', 'raw');
  }
  if (req.query.get('symlink') === 'get') get.query.set('symlink', 'get');
  const src = await root()(get);
  if (src.status === 304 || src.status >= 300) {
    discardBody(src.body);
    return errorResponse(src.status === 304 ? 412 : src.status);
  }
  const fresh = (req.headers['x-fresh-metadata'] ?? '').toLowerCase() === 'true';
  const headers: Record<string, string> = { ...copiedHeaders(src.headers, fresh) };
  const sloCopy = manifestCopy && (src.headers['x-static-large-object'] ?? '').toLowerCase() === 'true';
  if (sloCopy)
    for (const k of Object.keys(headers)) if (k.startsWith('x-object-sysmeta-slo')) delete headers[k];
  for (const [k, v] of Object.entries(req.headers)) {
    if (
      k.startsWith('x-object-meta-') ||
      ['content-type', 'content-encoding', 'content-disposition', 'x-delete-at', 'x-delete-after'].includes(k)
    )
      headers[k] = v;
  }
  if (src.headers['content-length'] !== undefined && src.status === 200)
    headers['content-length'] = src.headers['content-length'];
  else headers['transfer-encoding'] = 'chunked';
  const put = subrequest(req, 'PUT', req.path, headers, chunksOf(src.body), req.env.source);
  if (sloCopy) put.query.set('multipart-manifest', 'put');
  put.env.preAuthorized = req.env.preAuthorized;
  const res = await root()(put);
  if (res.status !== 201) return res;
  return {
    ...res,
    headers: {
      ...res.headers,
      'x-copied-from': urlQuote(`${source[0]}/${source[1]}`),
      'x-copied-from-last-modified': src.headers['last-modified'] ?? '',
      ...(srcAccount !== p.account ? { 'x-copied-from-account': urlQuote(srcAccount) } : {}),
      ...Object.fromEntries(
        Object.entries(headers).filter(([k]) => k.startsWith('x-object-meta-') || k === 'content-type'),
      ),
    },
  };
}
