import { checkMetadata } from '../common/constraints';
import { CONTAINER_SETTINGS } from '../common/stored-headers';
import { errorResponse, response, type SwiftRequest, type SwiftResponse } from '../common/swift-http';
import { newTimestamp } from '../common/timestamp';
import { listingQuery } from '../storage/db/listing-query';
import { ensureAccount, finishListing } from './account-controller';
import { listingFormat } from './listing-format';
import { authorize, type ProxyContext } from './proxy-context';

/** Headers a container PUT or POST passes to the container servers. */
function containerHeaders(req: SwiftRequest, ts: string): Record<string, string> {
  const out: Record<string, string> = { 'x-timestamp': ts };
  for (const [k, v] of Object.entries(req.headers)) {
    if (
      k.startsWith('x-container-meta-') ||
      k.startsWith('x-remove-container-meta-') ||
      k.startsWith('x-container-sysmeta-')
    )
      out[k] = v;
    if (CONTAINER_SETTINGS.includes(k)) out[k] = v;
    for (const h of CONTAINER_SETTINGS) {
      if (k === `x-remove-${h.slice(2)}`) out[h] = '';
    }
  }
  return out;
}

/** Headers only the container's owner sees. */
const OWNER_ONLY = ['x-container-read', 'x-container-write', 'x-container-sync-key', 'x-container-sync-to'];

/** `/v1/<account>/<container>`: object listings, container creation, metadata and deletion. */
export async function containerRequest(
  ctx: ProxyContext,
  req: SwiftRequest,
  account: string,
  container: string,
): Promise<SwiftResponse> {
  const nameBytes = Buffer.byteLength(container);
  if (nameBytes > ctx.constraints.max_container_name_length) {
    return errorResponse(
      400,
      `Container name length of ${nameBytes} longer than ${ctx.constraints.max_container_name_length}`,
    );
  }
  const denied = await authorize(
    ctx,
    req,
    account,
    req.method === 'PUT' || req.method === 'DELETE' ? undefined : container,
  );
  if (denied) return denied;
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      return getContainer(ctx, req, account, container);
    case 'PUT': {
      const bad = checkMetadata(req.headers, 'container', ctx.constraints);
      if (bad) return errorResponse(400, bad);
      if (!(await ensureAccount(ctx, account))) return errorResponse(404);
      const headers = containerHeaders(req, newTimestamp());
      const out = await ctx.backend.writeAll('container', 'PUT', () => headers, account, container);
      ctx.info.forgetContainer(account, container);
      ctx.info.forgetAccount(account);
      return out.status < 300 ? response(out.status) : errorResponse(out.status);
    }
    case 'POST': {
      const bad = checkMetadata(req.headers, 'container', ctx.constraints);
      if (bad) return errorResponse(400, bad);
      const headers = containerHeaders(req, newTimestamp());
      const out = await ctx.backend.writeAll('container', 'POST', () => headers, account, container);
      ctx.info.forgetContainer(account, container);
      return out.status < 300 ? response(out.status) : errorResponse(out.status);
    }
    case 'DELETE': {
      const ts = newTimestamp();
      const out = await ctx.backend.writeAll(
        'container',
        'DELETE',
        () => ({ 'x-timestamp': ts }),
        account,
        container,
      );
      ctx.info.forgetContainer(account, container);
      ctx.info.forgetAccount(account);
      return out.status < 300 ? response(out.status) : errorResponse(out.status);
    }
    default:
      return errorResponse(405, undefined, { allow: 'DELETE, GET, HEAD, POST, PUT' });
  }
}

async function getContainer(
  ctx: ProxyContext,
  req: SwiftRequest,
  account: string,
  container: string,
): Promise<SwiftResponse> {
  const format = listingFormat(req);
  if (!format) return errorResponse(406);
  let query = '';
  if (req.method === 'GET') {
    const q = listingQuery(req.query, ctx.constraints.container_listing_limit);
    if (typeof q === 'string') return errorResponse(q.startsWith('Maximum') ? 412 : 400, q);
    const params = new URLSearchParams(req.query);
    params.delete('format');
    query = `?${params.toString()}`;
  }
  const res = await ctx.backend.read(
    'container',
    req.method as 'GET' | 'HEAD',
    { 'x-newest': req.headers['x-newest'] ?? '' },
    account,
    container,
    undefined,
    query,
  );
  if (res.status < 200 || res.status >= 300)
    return errorResponse(res.status === 404 ? 404 : res.status >= 500 ? 503 : res.status);
  const headers: Record<string, string> = {
    ...res.headers,
    'x-storage-policy': 'Policy-0',
    'accept-ranges': 'bytes',
  };
  if (!req.env.swiftOwner) for (const h of OWNER_ONLY) delete headers[h];
  for (const k of Object.keys(headers)) if (k.startsWith('x-backend-')) delete headers[k];
  return finishListing(req, res, headers, format, 'container', container);
}
