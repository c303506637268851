import { type Middleware, type SwiftRequest, type SwiftResponse, discardBody, errorResponse, readBody, subrequest } from '../common/swift-http';
import { parseSwiftPath } from '../proxy/swift-path';

const TARGET = 'x-object-sysmeta-symlink-target';
const TARGET_ACCOUNT = 'x-object-sysmeta-symlink-target-account';
const TARGET_ETAG = 'x-object-sysmeta-symlink-target-etag';

/** `/info` entry of symlink. */
export const symlinkInfo = { symloop_max: 2, static_links: true };

/** Splits `container/object`; undefined when either part is missing. */
function target(value: string): [string, string] | undefined {
  let v = value;
  try {
    v = decodeURIComponent(value);
  } catch {}
  const slash = v.indexOf('/');
  if (slash <= 0 || slash === v.length - 1) return undefined;
  return [v.slice(0, slash), v.slice(slash + 1)];
}

/**
 * Symlinks: a zero-byte PUT with `X-Symlink-Target: <container>/<object>` (optionally
 * `-Account`, and `-Etag` for a static link checked at creation) stores a link; GET and HEAD
 * follow it through the pipeline (as the caller, at most `symloop_max` hops) unless
 * `?symlink=get` asks for the link itself; a POST to a link is redirected to its target.
 */
export function symlink(): Middleware {
  return (next, root) => async (req) => {
    const p = parseSwiftPath(req.path);
    if (!p || p.object === undefined) return next(req);
    if (req.method === 'PUT' && req.headers['x-symlink-target'] !== undefined) {
      const t = target(req.headers['x-symlink-target']);
      if (!t) return errorResponse(412, 'X-Symlink-Target header must be of the form <container name>/<object name>');
      if (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') return errorResponse(400, 'Symlink requests require a zero byte body');
      const account = req.headers['x-symlink-target-account'] ?? p.account;
      const headers: Record<string, string> = { ...req.headers, [TARGET]: `${t[0]}/${t[1]}`, [TARGET_ACCOUNT]: account, 'content-length': '0' };
      headers['content-type'] = req.headers['content-type'] ?? 'application/symlink';
      delete headers['x-symlink-target'];
      delete headers['x-symlink-target-account'];
      const etag = req.headers['x-symlink-target-etag'];
      if (etag !== undefined) {
        const head = await root()(subrequest(req, 'HEAD', `/${p.version}/${account}/${t[0]}/${t[1]}`, {}, undefined, 'SYM'));
        discardBody(head.body);
        if (head.status !== 200) return errorResponse(409, `X-Symlink-Target does not exist`);
        if ((head.headers.etag ?? '').replace(/"/g, '') !== etag.replace(/"/g, '')) return errorResponse(409, 'Object Etag does not match X-Symlink-Target-Etag header');
        headers[TARGET_ETAG] = etag.replace(/"/g, '');
        delete headers['x-symlink-target-etag'];
      }
      return next({ ...req, headers, body: undefined });
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && req.query.get('symlink') !== 'get') {
      return follow(req, await next(req), root, 0);
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && req.query.get('symlink') === 'get') {
      const res = await next(req);
      if (res.headers[TARGET]) res.headers['x-symlink-target'] = res.headers[TARGET];
      if (res.headers[TARGET_ACCOUNT]) res.headers['x-symlink-target-account'] = res.headers[TARGET_ACCOUNT];
      return res;
    }
    if (req.method === 'POST') {
      const res = await next(req);
      if (res.status === 202) {
        const head = await next({ ...req, method: 'HEAD', headers: {}, body: undefined });
        discardBody(head.body);
        const t = head.headers[TARGET];
        if (t) return errorResponse(307, 'The requested POST was applied to a symlink. POST directly to the target to apply requested metadata.', { location: `/${p.version}/${head.headers[TARGET_ACCOUNT] ?? p.account}/${t}` });
      }
      return res;
    }
    return next(req);
  };
}

async function follow(req: SwiftRequest, res: SwiftResponse, root: () => (r: SwiftRequest) => Promise<SwiftResponse>, hops: number): Promise<SwiftResponse> {
  const t = res.headers[TARGET];
  if (!t || (res.status !== 200 && res.status !== 206 && res.status !== 416)) return res;
  discardBody(res.body);
  if (hops >= symlinkInfo.symloop_max) return errorResponse(409, `Too many levels of symbolic links, maximum allowed is ${symlinkInfo.symloop_max}`);
  const p = parseSwiftPath(req.path)!;
  const account = res.headers[TARGET_ACCOUNT] ?? p.account;
  const path = `/${p.version}/${account}/${t}`;
  const headers: Record<string, string> = {};
  for (const k of ['range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since']) if (req.headers[k]) headers[k] = req.headers[k]!;
  const sub = subrequest(req, req.method, path, headers, undefined, 'SYM');
  sub.query.set('symlink', 'get');
  const target = await root()(sub);
  if (target.status === 404) {
    await readBody(target.body).catch(() => undefined);
    return errorResponse(404);
  }
  const expected = res.headers[TARGET_ETAG];
  if (expected && (target.headers.etag ?? '').replace(/"/g, '') !== expected) {
    discardBody(target.body);
    return errorResponse(409, 'Object Etag does not match X-Symlink-Target-Etag header');
  }
  target.headers['content-location'] = path;
  return follow(req.method === 'HEAD' ? { ...req, path } : { ...req, path }, target, root, hops + 1);
}
