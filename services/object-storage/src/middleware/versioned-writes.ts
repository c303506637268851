import {
  chunksOf,
  discardBody,
  errorResponse,
  type Handler,
  type Middleware,
  readBody,
  type SwiftRequest,
  type SwiftResponse,
  subrequest,
} from '../common/swift-http';
import type { InfoCache } from '../proxy/container-info';
import { parseSwiftPath } from '../proxy/swift-path';
import { swiftUnquote } from './url-quote';

/** Where versions of an object go: `<length as 3 hex digits><name>/`. */
function versionsPrefix(object: string): string {
  return `${Buffer.byteLength(object).toString(16).padStart(3, '0')}${object}/`;
}

/**
 * Legacy object versioning (`X-Versions-Location`, stack mode, and `X-History-Location`): a
 * write over an existing object first copies the old one to `<versions>/<prefix><timestamp>`;
 * in stack mode a DELETE brings the newest archived version back, in history mode it archives
 * the current one and removes it.
 */
export function versionedWrites(info: InfoCache): Middleware {
  return (next, root) => async (req) => {
    const p = parseSwiftPath(req.path);
    if (
      !p ||
      p.object === undefined ||
      req.env.source === 'VW' ||
      (req.method !== 'PUT' && req.method !== 'DELETE')
    ) {
      if (
        p &&
        p.object === undefined &&
        p.container !== undefined &&
        (req.method === 'PUT' || req.method === 'POST')
      ) {
        if (req.headers['x-versions-location'] && req.headers['x-history-location'])
          return errorResponse(400, 'Only one of X-Versions-Location or X-History-Location may be specified');
        const location = req.headers['x-versions-location'] || req.headers['x-history-location'];
        if (location?.includes('/')) return errorResponse(412, 'Container name cannot contain slashes');
      }
      return next(req);
    }
    const c = await info.container(p.account, p.container!);
    const stack = c.versions;
    const history = c.history;
    if ((!stack && !history) || req.query.get('multipart-manifest') === 'delete') return next(req);
    // A value stored before it was checked may hold a bad escape or a slash: never a crash.
    const archive = swiftUnquote(stack ?? history!).split('/')[0]!;
    const base = `/${p.version}/${p.account}`;
    if (req.method === 'PUT' || history) {
      const archived = await archiveCurrent(
        req,
        root(),
        `${base}/${p.container}/${p.object}`,
        `${base}/${archive}`,
        p.object,
      );
      if (archived && (archived.status < 200 || archived.status >= 300)) {
        discardBody(archived.body);
        // As Swift: a version that cannot be kept (archive container missing, not writable,
        // or failing) refuses the write instead of losing the version: 412, or 503 on a fault.
        return errorResponse(archived.status < 500 ? 412 : 503);
      }
      return next(req);
    }
    // Stack mode DELETE: restore the newest archived version, if any.
    const list = subrequest(req, 'GET', `${base}/${archive}`, {}, undefined, 'VW');
    list.query = new URLSearchParams({
      format: 'json',
      prefix: versionsPrefix(p.object),
      reverse: 'on',
      limit: '1',
    });
    const lr = await root()(list);
    let rows: { name: string }[] = [];
    if (lr.status === 200)
      rows = JSON.parse((await readBody(lr.body)).toString('utf8')) as { name: string }[];
    else discardBody(lr.body);
    if (rows.length === 0) return next(req);
    const versionPath = `${base}/${archive}/${rows[0]!.name}`;
    const restored = await copyObject(req, root(), versionPath, `${base}/${p.container}/${p.object}`);
    if (!restored) return next(req);
    if (restored.status !== 201) return restored.status === 404 ? next(req) : restored;
    const del = await root()(subrequest(req, 'DELETE', versionPath, {}, undefined, 'VW'));
    discardBody(del.body);
    return { status: 204, headers: {} };
  };
}

async function archiveCurrent(
  req: SwiftRequest,
  root: Handler,
  current: string,
  archiveBase: string,
  object: string,
): Promise<SwiftResponse | undefined> {
  const head = await root(subrequest(req, 'HEAD', current, {}, undefined, 'VW'));
  discardBody(head.body);
  if (head.status !== 200) return undefined;
  const ts = head.headers['x-timestamp'] ?? String(Date.parse(head.headers['last-modified'] ?? '') / 1000);
  return copyObject(req, root, current, `${archiveBase}/${versionsPrefix(object)}${ts}`);
}

/**
 * Copies an object (data and metadata) through the pipeline, as the caller. Undefined when the
 * source is gone (nothing to copy); otherwise the copy's answer.
 */
async function copyObject(
  req: SwiftRequest,
  root: Handler,
  from: string,
  to: string,
): Promise<SwiftResponse | undefined> {
  const get = subrequest(req, 'GET', from, {}, undefined, 'VW');
  get.query.set('multipart-manifest', 'get');
  const src = await root(get);
  if (src.status === 404) {
    discardBody(src.body);
    return undefined;
  }
  if (src.status !== 200) {
    discardBody(src.body);
    return { status: src.status, headers: {} };
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(src.headers)) {
    if (
      k.startsWith('x-object-meta-') ||
      [
        'content-type',
        'content-encoding',
        'content-disposition',
        'x-object-manifest',
        'x-delete-at',
      ].includes(k)
    )
      headers[k] = v;
  }
  headers['content-length'] = src.headers['content-length'] ?? '0';
  const put = await root(subrequest(req, 'PUT', to, headers, chunksOf(src.body), 'VW'));
  discardBody(put.body);
  return put;
}
