import { createHash, randomBytes } from 'node:crypto';
import type { Credentials, TokenValidator } from '@nimbus/auth';
import type { IdentityClient } from '@nimbus/clients';
import type { Logger } from '@nimbus/logging';
import {
  type Handler,
  type Middleware,
  type SwiftRequest,
  type SwiftResponse,
  discardBody,
  readBody,
  response,
  subrequest,
} from '../../common/swift-http';
import { fromSwiftStatus, s3Error } from './s3-errors';
import { type S3AuthErrorCode, s3ErrorForSignatureCheck, s3ErrorForTokenCheck } from './s3-identity-errors';
import { type S3Signed, isS3Request, signedRequest } from './s3-signature';
import {
  type S3Entry,
  completeUploadXml,
  initiateUploadXml,
  listBucketsXml,
  listObjectsXml,
  listPartsXml,
  parseCompleteXml,
} from './s3-xml';

/** How far a signed time may be from now (S3's 15 minutes). */
const SKEW_MS = 15 * 60 * 1000;
const S3_ETAG = 'x-object-sysmeta-s3api-etag';

/** Where identity checks S3 signatures (`POST /v3/s3tokens`): the proxy's identity client. */
export type S3TokenIssuer = Pick<IdentityClient, 's3Token'>;

/**
 * The S3 API (upstream's s3api with s3token): path-style `/<bucket>/<key>` requests signed with
 * SigV4 by an identity EC2 credential are checked by identity's s3tokens, then served as the
 * credential's project account: buckets are containers, keys are objects, multipart uploads are
 * parts in `<bucket>+segments` joined by a static large object. Answers are S3's XML.
 */
export function s3Api(identity: S3TokenIssuer, validator: TokenValidator, log: Logger): Middleware {
  return (next) => async (req) => {
    if (!isS3Request(req)) return next(req);
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const resource = req.path;
    const rawPath = req.rawPath ?? req.path;
    const signed = signedRequest(req, rawPath);
    if (!signed) return s3Error('AuthorizationHeaderMalformed', resource, requestId);
    const now = Date.now();
    if (signed.expires !== undefined) {
      if (!Number.isFinite(signed.expires) || now > signed.date.getTime() + signed.expires * 1000)
        return s3Error('AccessDenied', resource, requestId);
    } else if (Math.abs(now - signed.date.getTime()) > SKEW_MS)
      return s3Error('RequestTimeTooSkewed', resource, requestId);
    const creds = await authenticate(identity, validator, signed, log);
    if (typeof creds === 'string') return s3Error(creds, resource, requestId);
    req.env.credentials = creds;
    const account = `AUTH_${creds.projectId}`;
    const [bucket, ...rest] = req.path.replace(/^\//, '').split('/');
    const key = rest.join('/');
    const ctx: S3Context = {
      req,
      next,
      account,
      bucket: bucket ?? '',
      key,
      requestId,
      resource,
      owner: creds.projectId ?? '',
    };
    try {
      const res = await route(ctx);
      res.headers['x-amz-request-id'] = requestId;
      // AWS spells it `ETag` (Swift's s3api too: some SDKs read only that spelling).
      if (res.headers.etag !== undefined) {
        res.headers.ETag = res.headers.etag;
        delete res.headers.etag;
      }
      return res;
    } catch (err) {
      log.warn({ err }, 's3 request failed');
      return s3Error('InternalError', resource, requestId);
    }
  };
}

interface S3Context {
  req: SwiftRequest;
  next: Handler;
  account: string;
  bucket: string;
  key: string;
  requestId: string;
  resource: string;
  owner: string;
}

/** The caller's credentials, or the S3 error code to answer (see s3-identity-errors for the mapping). */
async function authenticate(
  identity: S3TokenIssuer,
  validator: TokenValidator,
  s: S3Signed,
  log: Logger,
): Promise<Credentials | S3AuthErrorCode> {
  let token: string;
  try {
    ({ token } = await identity.s3Token({
      access: s.access,
      token: Buffer.from(s.stringToSign).toString('base64'),
      signature: s.signature,
    }));
  } catch (err) {
    const code = s3ErrorForSignatureCheck(err);
    logAuthFailure(log, err, code, 'identity did not accept an S3 signature');
    return code;
  }
  try {
    return await validator.validate(token);
  } catch (err) {
    const code = s3ErrorForTokenCheck(err);
    logAuthFailure(log, err, code, 'the token identity issued for an S3 signature did not validate');
    return code;
  }
}

/** A refused caller is routine (debug); identity failing is worth a warning, a bug an error. */
function logAuthFailure(log: Logger, err: unknown, code: S3AuthErrorCode, msg: string): void {
  if (code === 'InternalError') log.error({ err }, msg);
  else if (code === 'ServiceUnavailable') log.warn({ err }, msg);
  else log.debug({ err, s3Code: code }, msg);
}

/** A Swift subrequest as the S3 caller. */
function swift(
  ctx: S3Context,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: AsyncIterable<Buffer>,
  query?: Record<string, string>,
): Promise<SwiftResponse> {
  const sub = subrequest(ctx.req, method, `/v1/${ctx.account}${path}`, headers, body, 'S3');
  if (query) sub.query = new URLSearchParams(query);
  return ctx.next(sub);
}

function fail(ctx: S3Context, res: SwiftResponse, onKey: boolean): SwiftResponse {
  discardBody(res.body);
  return s3Error(fromSwiftStatus(res.status, onKey), ctx.resource, ctx.requestId);
}

async function route(ctx: S3Context): Promise<SwiftResponse> {
  const { req, bucket, key } = ctx;
  if (!bucket) {
    if (req.method !== 'GET') return s3Error('MethodNotAllowed', ctx.resource, ctx.requestId);
    return listBuckets(ctx);
  }
  if (!/^[a-z0-9][a-z0-9.\-_]{1,254}$/i.test(bucket) || bucket.includes('+'))
    return s3Error('InvalidBucketName', ctx.resource, ctx.requestId);
  if (!key) return bucketRequest(ctx);
  const q = req.query;
  if (req.method === 'POST' && q.has('uploads')) return initiateUpload(ctx);
  if (q.has('uploadId')) return uploadRequest(ctx, q.get('uploadId')!);
  return objectRequest(ctx);
}

async function listBuckets(ctx: S3Context): Promise<SwiftResponse> {
  const res = await swift(ctx, 'GET', '', {}, undefined, { format: 'json' });
  if (res.status === 204)
    return response(200, listBucketsXml(ctx.owner, []), { 'content-type': 'application/xml' });
  if (res.status !== 200) return fail(ctx, res, false);
  const rows = (
    JSON.parse((await readBody(res.body)).toString()) as { name: string; last_modified: string }[]
  ).filter((r) => !r.name.endsWith('+segments'));
  return response(200, listBucketsXml(ctx.owner, rows), { 'content-type': 'application/xml' });
}

async function bucketRequest(ctx: S3Context): Promise<SwiftResponse> {
  const { req, bucket } = ctx;
  switch (req.method) {
    case 'PUT': {
      // The body of a bucket PUT (its location constraint) is not used; a client that fails
      // to send it is answered all the same.
      await readBody(req.body).catch(() => undefined);
      const res = await swift(ctx, 'PUT', `/${bucket}`);
      discardBody(res.body);
      if (res.status === 202) return s3Error('BucketAlreadyOwnedByYou', ctx.resource, ctx.requestId);
      return res.status === 201 ? response(200, '', { location: `/${bucket}` }) : fail(ctx, res, false);
    }
    case 'HEAD': {
      const res = await swift(ctx, 'HEAD', `/${bucket}`);
      discardBody(res.body);
      return res.status < 300 ? response(200) : { status: res.status === 404 ? 404 : 403, headers: {} };
    }
    case 'DELETE': {
      const res = await swift(ctx, 'DELETE', `/${bucket}`);
      discardBody(res.body);
      if (res.status === 204)
        await swift(ctx, 'DELETE', `/${bucket}+segments`).then((r) => discardBody(r.body));
      return res.status === 204 ? response(204) : fail(ctx, res, false);
    }
    case 'GET':
      return listObjects(ctx);
    default:
      return s3Error('MethodNotAllowed', ctx.resource, ctx.requestId);
  }
}

async function listObjects(ctx: S3Context): Promise<SwiftResponse> {
  const q = ctx.req.query;
  const v2 = q.get('list-type') === '2';
  const maxKeys = Math.min(Number(q.get('max-keys') ?? 1000) || 1000, 1000);
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? undefined;
  const continuation = q.get('continuation-token') ?? undefined;
  const marker = v2
    ? continuation
      ? Buffer.from(continuation, 'base64').toString()
      : (q.get('start-after') ?? '')
    : (q.get('marker') ?? '');
  const query: Record<string, string> = { format: 'json', limit: String(maxKeys + 1), prefix, marker };
  if (delimiter) query.delimiter = delimiter;
  const res = await swift(ctx, 'GET', `/${ctx.bucket}`, {}, undefined, query);
  let rows: S3Entry[] = [];
  if (res.status === 200) rows = JSON.parse((await readBody(res.body)).toString()) as S3Entry[];
  else if (res.status !== 204) return fail(ctx, res, false);
  else discardBody(res.body);
  const truncated = rows.length > maxKeys;
  const entries = rows.slice(0, maxKeys);
  const last = entries[entries.length - 1];
  const lastName = last ? (last.name ?? last.subdir ?? '') : '';
  const body = listObjectsXml({
    bucket: ctx.bucket,
    prefix,
    delimiter,
    maxKeys,
    truncated,
    entries,
    v2,
    marker,
    nextMarker: !v2 && truncated && delimiter ? lastName : undefined,
    continuation,
    nextContinuation: v2 && truncated ? Buffer.from(lastName).toString('base64') : undefined,
    startAfter: v2 ? (q.get('start-after') ?? undefined) : undefined,
    owner: ctx.owner,
  });
  return response(200, body, { 'content-type': 'application/xml' });
}

/** S3 metadata (`x-amz-meta-*`) to Swift's and back. */
function toSwiftHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (k.startsWith('x-amz-meta-')) out[`x-object-meta-${k.slice(11)}`] = v;
    else if (
      [
        'content-type',
        'content-length',
        'content-encoding',
        'content-disposition',
        'cache-control',
        'expires',
        'range',
        'if-match',
        'if-none-match',
        'if-modified-since',
        'if-unmodified-since',
        'transfer-encoding',
      ].includes(k)
    )
      out[k] = v;
  }
  if (h['content-md5']) out.etag = Buffer.from(h['content-md5'], 'base64').toString('hex');
  return out;
}

function toS3Headers(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (k.startsWith('x-object-meta-')) out[`x-amz-meta-${k.slice(14)}`] = v;
    else if (
      [
        'content-type',
        'content-length',
        'content-range',
        'content-encoding',
        'content-disposition',
        'cache-control',
        'expires',
        'last-modified',
        'accept-ranges',
      ].includes(k)
    )
      out[k] = v;
  }
  const etag = h[S3_ETAG] ?? (h.etag ?? '').replace(/"/g, '');
  out.etag = `"${etag}"`;
  return out;
}

async function objectRequest(ctx: S3Context): Promise<SwiftResponse> {
  const { req, bucket, key } = ctx;
  const path = `/${bucket}/${key}`;
  switch (req.method) {
    case 'PUT': {
      const copySource = req.headers['x-amz-copy-source'];
      if (copySource) {
        const res = await swift(ctx, 'PUT', path, {
          'x-copy-from': decodeURIComponent(copySource.replace(/^\//, '')),
          'content-length': '0',
        });
        discardBody(res.body);
        if (res.status !== 201) return fail(ctx, res, true);
        const etag = (res.headers.etag ?? '').replace(/"/g, '');
        return response(
          200,
          `<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult><LastModified>${new Date().toISOString()}</LastModified><ETag>&quot;${etag}&quot;</ETag></CopyObjectResult>`,
          { 'content-type': 'application/xml' },
        );
      }
      const res = await swift(ctx, 'PUT', path, toSwiftHeaders(req.headers), req.body);
      discardBody(res.body);
      return res.status === 201
        ? response(200, '', { etag: `"${(res.headers.etag ?? '').replace(/"/g, '')}"` })
        : fail(ctx, res, true);
    }
    case 'GET':
    case 'HEAD': {
      const res = await swift(ctx, req.method, path, toSwiftHeaders(req.headers));
      if (res.status === 304) return { status: 304, headers: toS3Headers(res.headers) };
      if (res.status !== 200 && res.status !== 206) {
        if (req.method === 'HEAD') {
          discardBody(res.body);
          return { status: res.status === 404 ? 404 : res.status, headers: {} };
        }
        return fail(ctx, res, true);
      }
      return { status: res.status, headers: toS3Headers(res.headers), body: res.body };
    }
    case 'DELETE': {
      const res = await swift(ctx, 'DELETE', path, {}, undefined, { 'multipart-manifest': 'delete' });
      discardBody(res.body);
      return res.status < 300 || res.status === 404 ? response(204) : fail(ctx, res, true);
    }
    default:
      return s3Error('MethodNotAllowed', ctx.resource, ctx.requestId);
  }
}

async function initiateUpload(ctx: S3Context): Promise<SwiftResponse> {
  const head = await swift(ctx, 'HEAD', `/${ctx.bucket}`);
  discardBody(head.body);
  if (head.status >= 300) return fail(ctx, head, false);
  const seg = await swift(ctx, 'PUT', `/${ctx.bucket}+segments`);
  discardBody(seg.body);
  const uploadId = randomBytes(16).toString('hex');
  const marker = await swift(
    ctx,
    'PUT',
    `/${ctx.bucket}+segments/${ctx.key}/${uploadId}`,
    {
      'content-length': '0',
      'content-type': ctx.req.headers['content-type'] ?? 'application/octet-stream',
      ...metaOnly(ctx.req.headers),
    },
    (async function* () {})(),
  );
  discardBody(marker.body);
  if (marker.status !== 201) return fail(ctx, marker, false);
  return response(200, initiateUploadXml(ctx.bucket, ctx.key, uploadId), {
    'content-type': 'application/xml',
  });
}

function metaOnly(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h))
    if (k.startsWith('x-amz-meta-')) out[`x-object-meta-${k.slice(11)}`] = v;
  return out;
}

async function uploadRequest(ctx: S3Context, uploadId: string): Promise<SwiftResponse> {
  const { req, bucket, key } = ctx;
  if (!/^[0-9a-f]{32}$/.test(uploadId)) return s3Error('NoSuchUpload', ctx.resource, ctx.requestId);
  const segs = `/${bucket}+segments`;
  const markerRes = await swift(ctx, 'HEAD', `${segs}/${key}/${uploadId}`);
  discardBody(markerRes.body);
  if (markerRes.status !== 200) return s3Error('NoSuchUpload', ctx.resource, ctx.requestId);
  const parts = async () => {
    const res = await swift(ctx, 'GET', segs, {}, undefined, {
      format: 'json',
      prefix: `${key}/${uploadId}/`,
    });
    if (res.status !== 200) {
      discardBody(res.body);
      return [];
    }
    return (
      JSON.parse((await readBody(res.body)).toString()) as {
        name: string;
        hash: string;
        bytes: number;
        last_modified: string;
      }[]
    ).map((r) => ({
      n: Number(r.name.slice(r.name.lastIndexOf('/') + 1)),
      etag: r.hash,
      size: r.bytes,
      last_modified: r.last_modified,
      name: r.name,
    }));
  };
  if (req.method === 'PUT') {
    const n = Number(req.query.get('partNumber'));
    if (!Number.isInteger(n) || n < 1 || n > 10_000)
      return s3Error('InvalidArgument', ctx.resource, ctx.requestId);
    const res = await swift(
      ctx,
      'PUT',
      `${segs}/${key}/${uploadId}/${String(n).padStart(5, '0')}`,
      toSwiftHeaders(req.headers),
      req.body,
    );
    discardBody(res.body);
    return res.status === 201 ? response(200, '', { etag: `"${res.headers.etag}"` }) : fail(ctx, res, true);
  }
  if (req.method === 'GET')
    return response(200, listPartsXml(bucket, key, uploadId, await parts()), {
      'content-type': 'application/xml',
    });
  if (req.method === 'DELETE') {
    for (const p of await parts())
      await swift(ctx, 'DELETE', `${segs}/${p.name}`).then((r) => discardBody(r.body));
    await swift(ctx, 'DELETE', `${segs}/${key}/${uploadId}`).then((r) => discardBody(r.body));
    return response(204);
  }
  if (req.method !== 'POST') return s3Error('MethodNotAllowed', ctx.resource, ctx.requestId);
  const wanted = parseCompleteXml((await readBody(req.body, 1024 * 1024)).toString());
  if (!wanted || wanted.length === 0) return s3Error('MalformedXML', ctx.resource, ctx.requestId);
  for (let i = 1; i < wanted.length; i++)
    if (wanted[i]!.n <= wanted[i - 1]!.n) return s3Error('InvalidPartOrder', ctx.resource, ctx.requestId);
  const have = new Map((await parts()).map((p) => [p.n, p]));
  const md5 = createHash('md5');
  const manifest: { path: string; etag: string; size_bytes: number }[] = [];
  for (const w of wanted) {
    const p = have.get(w.n);
    if (!p || p.etag !== w.etag) return s3Error('InvalidPart', ctx.resource, ctx.requestId);
    md5.update(Buffer.from(p.etag, 'hex'));
    manifest.push({ path: `${segs}/${p.name}`, etag: p.etag, size_bytes: p.size });
  }
  const s3etag = `${md5.digest('hex')}-${wanted.length}`;
  const markerMeta = markerRes.headers;
  const headers: Record<string, string> = {
    [S3_ETAG]: s3etag,
    'content-type': markerMeta['content-type'] ?? 'application/octet-stream',
  };
  for (const [k, v] of Object.entries(markerMeta)) if (k.startsWith('x-object-meta-')) headers[k] = v;
  const body = Buffer.from(JSON.stringify(manifest));
  headers['content-length'] = String(body.length);
  const res = await swift(
    ctx,
    'PUT',
    `/${bucket}/${key}`,
    headers,
    (async function* () {
      yield body;
    })(),
    { 'multipart-manifest': 'put' },
  );
  const text = (await readBody(res.body)).toString();
  if (res.status !== 201) {
    ctx.req.env.s3Detail = text;
    return fail(ctx, res, true);
  }
  await swift(ctx, 'DELETE', `${segs}/${key}/${uploadId}`).then((r) => discardBody(r.body));
  return response(200, completeUploadXml(`/${bucket}/${key}`, bucket, key, s3etag), {
    'content-type': 'application/xml',
  });
}
