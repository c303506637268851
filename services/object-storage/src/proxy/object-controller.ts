import { checkMetadata } from '../common/constraints';
import { OBJECT_STORED_HEADERS } from '../common/stored-headers';
import {
  BodyTooLargeError,
  discardBody,
  errorResponse,
  response,
  type SwiftRequest,
  type SwiftResponse,
} from '../common/swift-http';
import { httpDate, newTimestamp, parseTimestamp } from '../common/timestamp';
import { guessContentType } from './mime-types';
import { authorize, type ProxyContext, readHeaders } from './proxy-context';
import { quorumSize } from './quorum';

/** Headers a client may store with an object at PUT (the type and ETag travel too). */
const STORED = ['content-type', 'etag', ...OBJECT_STORED_HEADERS];

function storedHeaders(req: SwiftRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (
      k.startsWith('x-object-meta-') ||
      k.startsWith('x-object-sysmeta-') ||
      k.startsWith('x-object-transient-sysmeta-') ||
      STORED.includes(k)
    )
      out[k] = v;
  }
  return out;
}

/** Turns X-Delete-After into X-Delete-At and checks both; answers an error or undefined. */
function deleteAt(req: SwiftRequest): SwiftResponse | undefined {
  const after = req.headers['x-delete-after'];
  if (after !== undefined) {
    if (!/^\d+$/.test(after.trim())) return errorResponse(400, 'Non-integer X-Delete-After');
    req.headers['x-delete-at'] = String(Math.floor(Date.now() / 1000) + Number(after));
    delete req.headers['x-delete-after'];
  }
  const at = req.headers['x-delete-at'];
  if (at !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(at.trim())) return errorResponse(400, 'Non-integer X-Delete-At');
    const value = Math.floor(Number(at));
    if (value <= Date.now() / 1000) return errorResponse(400, 'X-Delete-At in past');
    req.headers['x-delete-at'] = String(value);
  }
  return undefined;
}

/** `/v1/<account>/<container>/<object>`: object data and metadata. */
export async function objectRequest(
  ctx: ProxyContext,
  req: SwiftRequest,
  account: string,
  container: string,
  object: string,
): Promise<SwiftResponse> {
  const nameBytes = Buffer.byteLength(object);
  if (nameBytes > ctx.constraints.max_object_name_length) {
    return errorResponse(
      400,
      `Object name length of ${nameBytes} longer than ${ctx.constraints.max_object_name_length}`,
    );
  }
  if (Buffer.byteLength(container) > ctx.constraints.max_container_name_length)
    return errorResponse(400, 'Container name too long');
  switch (req.method) {
    case 'GET':
    case 'HEAD': {
      const denied = await authorize(ctx, req, account, container);
      if (denied) return denied;
      const res = await ctx.backend.read('object', req.method, readHeaders(req), account, container, object);
      if (res.status === 404 || res.status >= 500) {
        discardBody(res.body);
        return errorResponse(res.status === 404 ? 404 : 503);
      }
      return res;
    }
    case 'PUT':
      return putObject(ctx, req, account, container, object);
    case 'POST':
      return postObject(ctx, req, account, container, object);
    case 'DELETE':
      return deleteObject(ctx, req, account, container, object);
    default:
      return errorResponse(405, undefined, { allow: 'DELETE, GET, HEAD, POST, PUT, COPY' });
  }
}

async function putObject(
  ctx: ProxyContext,
  req: SwiftRequest,
  account: string,
  container: string,
  object: string,
): Promise<SwiftResponse> {
  const c = ctx.constraints;
  const length = req.headers['content-length'];
  const chunked = (req.headers['transfer-encoding'] ?? '').toLowerCase().includes('chunked');
  if (length === undefined && !chunked) return errorResponse(411);
  if (length !== undefined && !/^\d+$/.test(length)) return errorResponse(400, 'Invalid Content-Length');
  if (length !== undefined && Number(length) > c.max_file_size) return errorResponse(413);
  const bad =
    checkMetadata(req.headers, 'object', c) ??
    (req.headers['if-none-match'] !== undefined && req.headers['if-none-match'] !== '*'
      ? 'If-None-Match only supports *'
      : undefined);
  if (bad) return errorResponse(400, bad);
  const badDelete = deleteAt(req);
  if (badDelete) return badDelete;
  const info = await ctx.info.container(account, container);
  if (info.status === 404) return errorResponse(404);
  if (info.status >= 300) return errorResponse(503);
  const denied = await authorize(ctx, req, account, container);
  if (denied) return denied;
  // Container sync keeps the source's timestamp, so both listings agree.
  const ts =
    (req.env.syncAuthorized ? parseTimestamp(req.headers['x-timestamp']) : undefined) ?? newTimestamp();
  const headers = storedHeaders(req);
  headers['content-type'] = req.headers['content-type'] || guessContentType(object);
  if ((req.headers['x-detect-content-type'] ?? '').toLowerCase() === 'true')
    headers['content-type'] = guessContentType(object);
  headers['x-timestamp'] = ts;
  if (length !== undefined) headers['content-length'] = length;
  if (req.headers['if-none-match']) headers['if-none-match'] = '*';
  const update = ctx.backend.containerUpdateHeaders(account, container);
  let received = 0;
  const out = await ctx.backend.putObject(
    account,
    container,
    object,
    (_n, i) => ({ ...headers, ...update(i) }),
    req.body,
    (chunk) => {
      received += chunk.length;
      if (received > c.max_file_size) throw new BodyTooLargeError(c.max_file_size);
    },
    length === undefined ? undefined : Number(length),
  );
  ctx.info.objectWritten(account, container);
  if (out.error instanceof BodyTooLargeError) return errorResponse(413);
  if (out.error) return errorResponse(499);
  const statuses = out.responses.map((r) => r.status);
  const ok = statuses.filter((s) => s === 201).length;
  if (ok >= quorumSize(out.replicas)) {
    const etag = out.responses.find((r) => r.status === 201)!.headers.etag!;
    if (headers['x-delete-at']) await queueExpiry(ctx, account, container, object, headers['x-delete-at']);
    return response(201, undefined, {
      etag,
      'last-modified': httpDate(ts),
      'x-timestamp': ts,
      'content-type': 'text/html; charset=UTF-8',
    });
  }
  if (statuses.filter((s) => s === 412).length >= quorumSize(out.replicas)) return errorResponse(412);
  if (statuses.includes(422)) return errorResponse(422);
  if (statuses.includes(499)) return errorResponse(499);
  if (statuses.filter((s) => s === 409).length >= quorumSize(out.replicas)) return response(202);
  return errorResponse(503);
}

async function postObject(
  ctx: ProxyContext,
  req: SwiftRequest,
  account: string,
  container: string,
  object: string,
): Promise<SwiftResponse> {
  const bad = checkMetadata(req.headers, 'object', ctx.constraints);
  if (bad) return errorResponse(400, bad);
  const badDelete = deleteAt(req);
  if (badDelete) return badDelete;
  const denied = await authorize(ctx, req, account, container);
  if (denied) return denied;
  const info = await ctx.info.container(account, container);
  if (info.status === 404) return errorResponse(404);
  const headers = storedHeaders(req);
  delete headers.etag;
  headers['x-timestamp'] = newTimestamp();
  const out = await ctx.backend.writeAll('object', 'POST', () => headers, account, container, object);
  if (out.status === 202 && headers['x-delete-at'])
    await queueExpiry(ctx, account, container, object, headers['x-delete-at']);
  return out.status === 202
    ? response(202, '<html><h1>Accepted</h1><p>The request is accepted for processing.</p></html>', {
        'content-type': 'text/html; charset=UTF-8',
      })
    : errorResponse(out.status);
}

async function deleteObject(
  ctx: ProxyContext,
  req: SwiftRequest,
  account: string,
  container: string,
  object: string,
): Promise<SwiftResponse> {
  const denied = await authorize(ctx, req, account, container);
  if (denied) return denied;
  const info = await ctx.info.container(account, container);
  if (info.status === 404) return errorResponse(404);
  const ts =
    (req.env.syncAuthorized ? parseTimestamp(req.headers['x-timestamp']) : undefined) ?? newTimestamp();
  const update = ctx.backend.containerUpdateHeaders(account, container);
  const extra: Record<string, string> = req.headers['x-if-delete-at']
    ? { 'x-if-delete-at': req.headers['x-if-delete-at'] }
    : {};
  const out = await ctx.backend.writeAll(
    'object',
    'DELETE',
    (_n, i) => ({ 'x-timestamp': ts, ...extra, ...update(i) }),
    account,
    container,
    object,
  );
  ctx.info.objectWritten(account, container);
  return out.status === 204 ? response(204) : errorResponse(out.status);
}

/** Records an object in the expirer's queue: `.expiring_objects/<bucket>/<at>-<account>/<container>/<object>`. */
async function queueExpiry(
  ctx: ProxyContext,
  account: string,
  container: string,
  object: string,
  at: string,
): Promise<void> {
  const bucket = String(Math.floor(Number(at) / ctx.expiringDivisor) * ctx.expiringDivisor);
  await ctx.backend.containerUpdate(
    '.expiring_objects',
    bucket,
    `${at}-${account}/${container}/${object}`,
    'PUT',
    { 'x-size': '0', 'x-content-type': 'text/plain', 'x-etag': 'd41d8cd98f00b204e9800998ecf8427e' },
  );
}
