import { checkMetadata } from '../common/constraints';
import {
  errorResponse,
  readBody,
  response,
  type SwiftRequest,
  type SwiftResponse,
} from '../common/swift-http';
import { newTimestamp } from '../common/timestamp';
import { validateAccountAcl } from '../middleware/account-acl';
import { listingQuery } from '../storage/db/listing-query';
import { listingFormat, renderListing } from './listing-format';
import { authorize, type ProxyContext } from './proxy-context';

/** Where an account keeps its ACL (`X-Account-Access-Control`). */
const ACL_SYSMETA = 'x-account-sysmeta-core-access-control';

/** Adds the per-policy usage headers clients (and Tempest) expect beside the totals. */
function policyHeaders(h: Record<string, string>): void {
  h['x-account-storage-policy-policy-0-container-count'] = h['x-account-container-count'] ?? '0';
  h['x-account-storage-policy-policy-0-object-count'] = h['x-account-object-count'] ?? '0';
  h['x-account-storage-policy-policy-0-bytes-used'] = h['x-account-bytes-used'] ?? '0';
}

/** Creates an account on its replicas when it does not exist yet. */
export async function ensureAccount(ctx: ProxyContext, account: string): Promise<boolean> {
  const info = await ctx.info.account(account);
  if (info.status >= 200 && info.status < 300) return true;
  if (!ctx.accountAutocreate || info.status !== 404) return false;
  const ts = newTimestamp();
  const out = await ctx.backend.writeAll('account', 'PUT', () => ({ 'x-timestamp': ts }), account);
  ctx.info.forgetAccount(account);
  return out.status >= 200 && out.status < 300;
}

/** `/v1/<account>`: container listings, account metadata. */
export async function accountRequest(
  ctx: ProxyContext,
  req: SwiftRequest,
  account: string,
): Promise<SwiftResponse> {
  const denied = await authorize(ctx, req, account);
  if (denied) return denied;
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      return getAccount(ctx, req, account);
    case 'POST': {
      const bad = checkMetadata(req.headers, 'account', ctx.constraints);
      if (bad) return errorResponse(400, bad);
      if (!(await ensureAccount(ctx, account))) return errorResponse(404);
      const ts = newTimestamp();
      const headers: Record<string, string> = { 'x-timestamp': ts };
      for (const [k, v] of Object.entries(req.headers))
        if (
          k.startsWith('x-account-meta-') ||
          k.startsWith('x-remove-account-meta-') ||
          k.startsWith('x-account-sysmeta-')
        )
          headers[k] = v;
      const acl = req.headers['x-account-access-control'];
      if (acl !== undefined) {
        // Only the account's owner (or an admin by its ACL, or a reseller) sets who else may enter.
        if (!req.env.swiftOwner && !req.env.resellerRequest && req.env.authorize) return errorResponse(403);
        const checked = validateAccountAcl(acl || '{}');
        if ('error' in checked) return errorResponse(400, checked.error);
        headers[ACL_SYSMETA] = checked.json === '{}' ? '' : checked.json;
      }
      const out = await ctx.backend.writeAll('account', 'POST', () => headers, account);
      ctx.info.forgetAccount(account);
      return out.status < 300 ? response(out.status) : errorResponse(out.status);
    }
    case 'PUT':
    case 'DELETE':
      if (!req.env.resellerRequest) return errorResponse(405, undefined, { allow: 'GET, HEAD, POST' });
      return accountAdmin(ctx, req, account);
    default:
      return errorResponse(405, undefined, { allow: 'GET, HEAD, POST' });
  }
}

async function accountAdmin(ctx: ProxyContext, req: SwiftRequest, account: string): Promise<SwiftResponse> {
  const ts = newTimestamp();
  const out = await ctx.backend.writeAll('account', req.method, () => ({ 'x-timestamp': ts }), account);
  ctx.info.forgetAccount(account);
  return out.status < 300 ? response(out.status) : errorResponse(out.status);
}

async function getAccount(ctx: ProxyContext, req: SwiftRequest, account: string): Promise<SwiftResponse> {
  const format = listingFormat(req);
  if (!format) return errorResponse(406);
  let query = '';
  if (req.method === 'GET') {
    const q = listingQuery(req.query, ctx.constraints.account_listing_limit);
    if (typeof q === 'string') return errorResponse(q.startsWith('Maximum') ? 412 : 400, q);
    const params = new URLSearchParams(req.query);
    params.delete('format');
    query = `?${params.toString()}`;
  }
  let res = await ctx.backend.read(
    'account',
    req.method as 'GET' | 'HEAD',
    { 'x-newest': req.headers['x-newest'] ?? '' },
    account,
    undefined,
    undefined,
    query,
  );
  if (res.status === 404 && ctx.accountAutocreate && !res.headers['x-account-status']) {
    const ts = newTimestamp();
    res = response(req.method === 'GET' ? 200 : 204, '[]', {
      'x-account-container-count': '0',
      'x-account-object-count': '0',
      'x-account-bytes-used': '0',
      'x-timestamp': ts,
      'x-put-timestamp': ts,
    });
  }
  if (res.status < 200 || res.status >= 300) {
    await readBody(res.body).catch(() => undefined);
    return errorResponse(res.status === 404 ? 404 : res.status);
  }
  const headers = { ...res.headers };
  policyHeaders(headers);
  if ((req.env.swiftOwner || !req.env.authorize) && headers[ACL_SYSMETA])
    headers['x-account-access-control'] = headers[ACL_SYSMETA]!;
  return finishListing(req, res, headers, format, 'account', account);
}

/** Renders a listing answer in the asked format; empty plain listings answer 204 as upstream. */
export async function finishListing(
  req: SwiftRequest,
  res: SwiftResponse,
  headers: Record<string, string>,
  format: 'json' | 'xml' | 'plain',
  kind: 'account' | 'container',
  name: string,
): Promise<SwiftResponse> {
  delete headers['content-length'];
  if (req.method === 'HEAD') {
    await readBody(res.body).catch(() => undefined);
    const type =
      format === 'json'
        ? 'application/json; charset=utf-8'
        : format === 'xml'
          ? 'application/xml; charset=utf-8'
          : 'text/plain; charset=utf-8';
    return response(204, undefined, { ...headers, 'content-type': type });
  }
  const rows = JSON.parse((await readBody(res.body)).toString('utf8') || '[]') as Record<string, unknown>[];
  const rendered = renderListing(rows, format, kind, name);
  if (rows.length === 0 && format === 'plain')
    return response(204, undefined, { ...headers, 'content-type': rendered.contentType });
  return response(200, rendered.body, { ...headers, 'content-type': rendered.contentType });
}
