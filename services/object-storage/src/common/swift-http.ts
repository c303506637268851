import type { Credentials } from '@nimbus/auth';

/** A response body: bytes, text, or a stream of chunks. */
export type Body = Buffer | string | AsyncIterable<Buffer>;

/** Where a direct body writes: an HTTP response or a socket. */
export interface DirectTarget {
  write(chunk: Buffer, callback: (err?: Error | null) => void): boolean;
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

/**
 * A streamed body that can also write itself to an HTTP response, more cheaply than chunk by
 * chunk (a file read into reused buffers). Whoever only iterates it sees an ordinary stream.
 */
export interface DirectBody extends AsyncIterable<Buffer> {
  /** Writes every byte to `out` (without ending it); rejects on a read or write failure. */
  writeTo(out: DirectTarget): Promise<void>;
  /** Releases what the body holds when nobody will read it. */
  destroy(): void;
}

/** Whether a body can write itself (`DirectBody`). */
export function isDirectBody(body: Body | undefined): body is DirectBody {
  return (
    typeof body === 'object' &&
    !Buffer.isBuffer(body) &&
    typeof (body as Partial<DirectBody>).writeTo === 'function'
  );
}

/** Per-request state middleware leaves for those after it (upstream's WSGI environ keys). */
export interface RequestEnv {
  /** The validated caller, when a token (or tempauth) identified one. */
  credentials?: Credentials;
  /** Decides whether the caller may do this; answers a denial response or undefined. Set by auth. */
  authorize?: (req: SwiftRequest, acls?: ContainerAcls) => SwiftResponse | undefined;
  /** Who asked for this request when a middleware made it (`SLO`, `DLO`, `VW`, `TU`...). */
  source?: string;
  /** The request was authorized by a signature (TempURL, FormPost) and skips auth. */
  preAuthorized?: boolean;
  /** Tempauth's or keystoneauth's reseller-admin flag. */
  resellerRequest?: boolean;
  /** The user's groups or role names, for ACL checks. */
  remoteUser?: string;
  [key: string]: unknown;
}

/** A container's ACLs and sync settings, as the proxy read them. */
export interface ContainerAcls {
  /** The account's ACL (`X-Account-Access-Control`): who may administer, write or read it all. */
  account?: AccountAcl;
  read?: string;
  write?: string;
}

/** An account ACL: identities by level, as `X-Account-Access-Control` gives them. */
export interface AccountAcl {
  admin: string[];
  'read-write': string[];
  'read-only': string[];
}

/** An HTTP request as Swift's layers see it: decoded path, lower-case headers, a body stream. */
export interface SwiftRequest {
  method: string;
  /** Decoded path without the query string. */
  path: string;
  /** The path exactly as the client sent it (S3 signatures cover it). */
  rawPath?: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body?: AsyncIterable<Buffer>;
  env: RequestEnv;
  /** Client address, for staticweb/referrer and logging. */
  remoteAddr?: string;
}

/** An HTTP response: status, lower-case headers, an optional body. */
export interface SwiftResponse {
  status: number;
  headers: Record<string, string>;
  body?: Body;
}

/** One step of the pipeline. */
export type Handler = (req: SwiftRequest) => Promise<SwiftResponse>;

/** A middleware wraps the rest of the pipeline (`next`) and may call the whole pipeline (`root`) for subrequests. */
export type Middleware = (next: Handler, root: () => Handler) => Handler;

export function newRequest(
  method: string,
  path: string,
  init: Partial<Omit<SwiftRequest, 'method' | 'path'>> = {},
): SwiftRequest {
  return {
    method,
    path,
    query: init.query ?? new URLSearchParams(),
    headers: init.headers ?? {},
    body: init.body,
    env: init.env ?? {},
    remoteAddr: init.remoteAddr,
  };
}

/** Copies a request for a subrequest: same caller, new method/path/headers, no body unless given. */
export function subrequest(
  req: SwiftRequest,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: AsyncIterable<Buffer>,
  source?: string,
): SwiftRequest {
  const keep: Record<string, string> = {};
  for (const k of ['x-auth-token', 'x-forwarded-for', 'user-agent'])
    if (req.headers[k]) keep[k] = req.headers[k]!;
  return {
    method,
    path,
    query: new URLSearchParams(),
    headers: { ...keep, ...headers },
    body,
    env: {
      credentials: req.env.credentials,
      authorize: req.env.authorize,
      preAuthorized: req.env.preAuthorized,
      resellerRequest: req.env.resellerRequest,
      remoteUser: req.env.remoteUser,
      source: source ?? req.env.source,
    },
    remoteAddr: req.remoteAddr,
  };
}

export function response(status: number, body?: Body, headers: Record<string, string> = {}): SwiftResponse {
  return { status, headers, body };
}

const STATUS_TEXT: Record<number, [string, string]> = {
  400: [
    'Bad Request',
    'The server could not comply with the request since it is either malformed or otherwise incorrect.',
  ],
  401: [
    'Unauthorized',
    'This server could not verify that you are authorized to access the document you requested.',
  ],
  403: ['Forbidden', 'Access was denied to this resource.'],
  404: ['Not Found', 'The resource could not be found.'],
  405: ['Method Not Allowed', 'The method is not allowed for this resource.'],
  408: ['Request Timeout', 'The server has waited too long for the request to be sent by the client.'],
  409: ['Conflict', 'There was a conflict when trying to complete your request.'],
  411: ['Length Required', 'Length Required'],
  412: ['Precondition Failed', 'A precondition for this request was not met.'],
  413: ['Request Entity Too Large', 'The body of your request was too large for this server.'],
  414: ['Request URI Too Long', 'The request URI was too long for this server.'],
  416: ['Requested Range Not Satisfiable', 'The Range requested is not available.'],
  422: ['Unprocessable Entity', 'Unable to process the contained instructions'],
  499: ['Client Disconnect', 'The client was disconnected during request.'],
  500: ['Internal Error', 'An error occurred.'],
  501: ['Not Implemented', 'The method is not implemented for this resource.'],
  503: ['Service Unavailable', 'The server is currently unavailable. Please try again at a later time.'],
  507: ['Insufficient Storage', 'There was not enough space to save the resource.'],
};

export function reasonOf(status: number): string {
  return STATUS_TEXT[status]?.[0] ?? 'Unknown';
}

/** An error answer with upstream's small HTML body (or the given text). */
export function errorResponse(
  status: number,
  detail?: string,
  headers: Record<string, string> = {},
): SwiftResponse {
  const [title, text] = STATUS_TEXT[status] ?? ['Error', 'An error occurred.'];
  const body = detail ?? `<html><h1>${title}</h1><p>${text}</p></html>`;
  return {
    status,
    headers: {
      'content-type': detail ? 'text/plain; charset=UTF-8' : 'text/html; charset=UTF-8',
      ...headers,
    },
    body,
  };
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Reads a whole body into memory, refusing more than `limit` bytes. */
export async function readBody(body: Body | undefined, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Drops a body nobody will read, releasing its file or socket. */
export function discardBody(body: Body | undefined): void {
  if (body && typeof body === 'object' && !Buffer.isBuffer(body)) {
    const s = body as { destroy?: () => void; return?: () => unknown };
    if (typeof s.destroy === 'function') s.destroy();
  }
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`body larger than ${limit} bytes`);
  }
}

/** Turns any body into an async iterable of Buffers. */
export async function* chunksOf(body: Body | undefined): AsyncIterable<Buffer> {
  if (body === undefined) return;
  if (typeof body === 'string') yield Buffer.from(body);
  else if (Buffer.isBuffer(body)) yield body;
  else for await (const c of body) yield Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array);
}
