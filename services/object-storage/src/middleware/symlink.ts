import { urlQuote } from '@nimbus/http';
import {
  discardBody,
  errorResponse,
  type Handler,
  type Middleware,
  type SwiftRequest,
  type SwiftResponse,
  subrequest,
} from '../common/swift-http';
import { parseSwiftPath } from '../proxy/swift-path';
import { isQuoted, swiftUnquote } from './url-quote';

const TARGET = 'x-object-sysmeta-symlink-target';
const TARGET_ACCOUNT = 'x-object-sysmeta-symlink-target-account';
const TARGET_ETAG = 'x-object-sysmeta-symlink-target-etag';

/** `/info` entry of symlink. */
export const symlinkInfo = { symloop_max: 2, static_links: true };

const FORM = 'X-Symlink-Target header must be of the form <container name>/<object name>';

/** Splits a (quoted) `container/object` as upstream's `check_path_header`; undefined when malformed. */
function splitTarget(value: string): [string, string] | undefined {
  const v = swiftUnquote(value);
  if (v.startsWith('/')) return undefined;
  const slash = v.indexOf('/');
  if (slash <= 0 || slash === v.length - 1) return undefined;
  return [v.slice(0, slash), v.slice(slash + 1)];
}

/** An account name from a header, checked as upstream's `check_account_format`; or the 412 to answer. */
export function checkAccount(value: string): string | SwiftResponse {
  const account = swiftUnquote(value);
  if (!account) return errorResponse(412, 'Account name cannot be empty');
  if (account.includes('/')) return errorResponse(412, 'Account name cannot contain slashes');
  return account;
}

/**
 * A stored target in quoted form. Links written before targets were stored quoted hold the
 * decoded name; those are quoted here so no raw character ever reaches a header.
 */
function quoted(stored: string): string {
  return isQuoted(stored) ? stored : urlQuote(stored);
}

/**
 * Symlinks: a zero-byte PUT with `X-Symlink-Target: <container>/<object>` (optionally
 * `-Account`, and `-Etag` for a static link checked at creation) stores a link, the target
 * URL-quoted as upstream; GET and HEAD follow it (as the caller, at most `symloop_max` hops,
 * else 409) unless `?symlink=get` asks for the link itself; a POST to a link is redirected to
 * its target (307). Targets are echoed quoted in `X-Symlink-Target`, `Content-Location` and
 * `Location`.
 */
export function symlink(): Middleware {
  return (next, root) => async (req) => {
    const p = parseSwiftPath(req.path);
    if (!p || p.object === undefined) return next(req);
    if (req.method === 'PUT' && req.headers['x-symlink-target'] !== undefined)
      return putLink(req, next, root());
    if ((req.method === 'GET' || req.method === 'HEAD') && req.query.get('symlink') !== 'get')
      return follow(req, await next(req), next, 0, undefined);
    if (req.method === 'GET' || req.method === 'HEAD') {
      const res = await next(req);
      if (res.headers[TARGET]) res.headers['x-symlink-target'] = quoted(res.headers[TARGET]);
      if (res.headers[TARGET_ACCOUNT])
        res.headers['x-symlink-target-account'] = quoted(res.headers[TARGET_ACCOUNT]);
      if (res.headers[TARGET_ETAG]) res.headers['x-symlink-target-etag'] = res.headers[TARGET_ETAG];
      return res;
    }
    if (req.method === 'POST') {
      if (req.headers['x-symlink-target'] !== undefined)
        return errorResponse(400, 'A PUT request is required to set a symlink target');
      const res = await next(req);
      if (res.status !== 202) return res;
      const head = await next({ ...req, method: 'HEAD', headers: {}, body: undefined });
      discardBody(head.body);
      const t = head.headers[TARGET];
      if (!t) return res;
      discardBody(res.body);
      const account = head.headers[TARGET_ACCOUNT]
        ? quoted(head.headers[TARGET_ACCOUNT])
        : urlQuote(p.account);
      const headers: Record<string, string> = { location: `/${p.version}/${account}/${quoted(t)}` };
      if (head.headers[TARGET_ETAG]) headers['x-symlink-target-etag'] = head.headers[TARGET_ETAG];
      return errorResponse(
        307,
        'The requested POST was applied to a symlink. POST directly to the target to apply requested metadata.',
        headers,
      );
    }
    return next(req);
  };
}

async function putLink(req: SwiftRequest, next: Handler, root: Handler): Promise<SwiftResponse> {
  const p = parseSwiftPath(req.path)!;
  const length = req.headers['content-length'];
  if (length !== undefined && length !== '0')
    return errorResponse(400, 'Symlink requests require a zero byte body');
  const t = splitTarget(req.headers['x-symlink-target']!);
  if (!t) return errorResponse(412, FORM);
  let account = p.account;
  if (req.headers['x-symlink-target-account'] !== undefined) {
    const checked = checkAccount(req.headers['x-symlink-target-account']);
    if (typeof checked !== 'string') return checked;
    account = checked;
  }
  if (account === p.account && t[0] === p.container && t[1] === p.object)
    return errorResponse(400, 'Symlink cannot target itself');
  const etag = req.headers['x-symlink-target-etag']?.replace(/^"|"$/g, '');
  if (etag && /[;"\\]/.test(etag)) return errorResponse(400, 'Bad X-Symlink-Target-Etag format');
  const headers: Record<string, string> = {
    ...req.headers,
    [TARGET]: urlQuote(`${t[0]}/${t[1]}`),
    'content-length': '0',
  };
  if (req.headers['x-symlink-target-account'] !== undefined) headers[TARGET_ACCOUNT] = urlQuote(account);
  headers['content-type'] = req.headers['content-type'] ?? 'application/symlink';
  delete headers['x-symlink-target'];
  delete headers['x-symlink-target-account'];
  delete headers['x-symlink-target-etag'];
  delete headers['transfer-encoding'];
  if (etag) {
    const target = `/${p.version}/${account}/${t[0]}/${t[1]}`;
    const location = `/${p.version}/${urlQuote(account)}/${urlQuote(`${t[0]}/${t[1]}`)}`;
    const head = await root(subrequest(req, 'HEAD', target, {}, undefined, 'SYM'));
    discardBody(head.body);
    if (head.status === 404)
      return errorResponse(409, 'X-Symlink-Target does not exist', { 'content-location': location });
    if (head.status < 200 || head.status >= 300) return errorResponse(head.status >= 500 ? 503 : head.status);
    if ((head.headers.etag ?? '').replace(/"/g, '') !== etag)
      return errorResponse(409, 'Object Etag does not match X-Symlink-Target-Etag header', {
        'content-location': location,
      });
    headers[TARGET_ETAG] = etag;
  }
  return next({ ...req, headers, body: undefined });
}

/**
 * Follows a link's response to its target through the rest of the pipeline (so a link to a
 * link is followed here, counted, and a link to a large object is assembled above), with the
 * caller's own query and headers. More than `symloop_max` links in a row answer 409.
 */
async function follow(
  req: SwiftRequest,
  res: SwiftResponse,
  next: Handler,
  hops: number,
  location: string | undefined,
): Promise<SwiftResponse> {
  const t = res.headers[TARGET];
  if (!t || (res.status !== 200 && res.status !== 206 && res.status !== 416)) {
    if (location) res.headers['content-location'] = location;
    return res;
  }
  discardBody(res.body);
  if (hops >= symlinkInfo.symloop_max)
    return errorResponse(
      409,
      `Too many levels of symbolic links, maximum allowed is ${symlinkInfo.symloop_max}`,
    );
  const p = parseSwiftPath(req.path)!;
  const account = res.headers[TARGET_ACCOUNT] ? swiftUnquote(res.headers[TARGET_ACCOUNT]) : p.account;
  const path = `/${p.version}/${account}/${swiftUnquote(t)}`;
  const quotedPath = `/${p.version}/${urlQuote(account)}/${quoted(t)}`;
  const sub = subrequest(req, req.method, path, { ...req.headers }, undefined, 'SYM');
  sub.query = new URLSearchParams(req.query);
  const target = await next(sub);
  const expected = res.headers[TARGET_ETAG];
  if (expected && !target.headers[TARGET] && (target.headers.etag ?? '').replace(/"/g, '') !== expected) {
    discardBody(target.body);
    return errorResponse(409, 'Object Etag does not match X-Symlink-Target-Etag header', {
      'content-location': quotedPath,
    });
  }
  return follow(sub, target, next, hops + 1, quotedPath);
}
