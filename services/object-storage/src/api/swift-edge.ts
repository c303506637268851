import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { answerAndClose, assertHeaderValues } from '@nimbus/http';
import type { Logger } from '@nimbus/logging';
import {
  type Body,
  errorResponse,
  type Handler,
  isDirectBody,
  type SwiftRequest,
  type SwiftResponse,
} from '../common/swift-http';

/** Header families clients may neither send nor see (upstream's gatekeeper). */
const INTERNAL =
  /^(x-backend-|x-(account|container|object)-sysmeta-|x-object-transient-sysmeta-|x-node-error)/;

const txPrefix = randomBytes(4).toString('hex').slice(0, 7);
let txCounter = Math.floor(Math.random() * 2 ** 40);

/**
 * Upstream's transaction id: `tx` + 21 hex digits + `-` + the time in hex. The digits are a
 * per-process random prefix and a counter: unique, and without a random draw per request.
 */
export function transactionId(): string {
  txCounter = (txCounter + 1) % 2 ** 56;
  return `tx${txPrefix}${txCounter.toString(16).padStart(14, '0')}-${Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(10, '0')}`;
}

let dateSecond = 0;
let dateText = '';
/** The Date header, formatted once a second. */
function httpNow(): string {
  const now = Math.floor(Date.now() / 1000);
  if (now !== dateSecond) {
    dateSecond = now;
    dateText = new Date(now * 1000).toUTCString();
  }
  return dateText;
}

/** Decodes a raw request path; undefined when it is not valid UTF-8 or holds NUL (412). */
export function decodePath(raw: string): string | undefined {
  try {
    const path = decodeURIComponent(raw);
    if (path.includes('\u0000') || path.includes('\ufffd')) return undefined;
    return path;
  } catch {
    return undefined;
  }
}

/** How the edge treats a request: the proxy's filters internal headers; storage servers' do not. */
export interface EdgeOptions {
  /** Strip `X-Backend-*` and sysmeta both ways (upstream's gatekeeper); true for client-facing servers. */
  gatekeeper: boolean;
}

const CLIENT: EdgeOptions = { gatekeeper: true };

/**
 * Methods Node's HTTP parser does not accept (Swift's REPLICATE) travel as POST with the real
 * method in this header, between storage servers only.
 */
export const METHOD_HEADER = 'x-backend-method';

/** Builds the pipeline's request from Node's, stripping internal headers. */
export function toSwiftRequest(
  raw: IncomingMessage,
  options: EdgeOptions = CLIENT,
): SwiftRequest | SwiftResponse {
  const url = raw.url ?? '/';
  const q = url.indexOf('?');
  const path = decodePath(q < 0 ? url : url.slice(0, q));
  if (path === undefined) return errorResponse(412, 'Invalid UTF8 or contains NULL');
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(raw.headers)) {
    // WSGI folds `_` into `-` in header names (`X-Object-Meta-a_b` arrives as `x-object-meta-a-b`),
    // before any filter sees them: the gatekeeper must judge the folded name, or
    // `X-Object-Sysmeta_...` would slip past it and become sysmeta.
    const k = name.replaceAll('_', '-');
    if (v === undefined || (options.gatekeeper && INTERNAL.test(k))) continue;
    headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  let query: URLSearchParams;
  try {
    query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  } catch {
    return errorResponse(400, 'Invalid query string');
  }
  for (const v of query.values())
    if (v.includes('\u0000') || v.includes('\ufffd'))
      return errorResponse(400, 'Invalid UTF8 or contains NULL');
  const hasBody =
    headers['content-length'] !== undefined
      ? headers['content-length'] !== '0'
      : headers['transfer-encoding'] !== undefined;
  const override = options.gatekeeper ? undefined : headers[METHOD_HEADER];
  return {
    method: override ?? raw.method ?? 'GET',
    path,
    rawPath: q < 0 ? url : url.slice(0, q),
    query,
    headers,
    body: hasBody ? (raw as AsyncIterable<Buffer>) : undefined,
    env: {},
    remoteAddr: raw.socket.remoteAddress,
  };
}

function bodyLength(body: Body | undefined): number | undefined {
  if (body === undefined) return 0;
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (Buffer.isBuffer(body)) return body.length;
  return undefined;
}

/** Releases a body nobody will read (a file handle, a backend connection). */
function dropBody(body: Body | undefined): void {
  if (body !== undefined && typeof body === 'object' && !Buffer.isBuffer(body))
    (body as { destroy?: () => void }).destroy?.();
}

/**
 * Writes a pipeline response to the client: transaction id and date on every answer,
 * a content type and length where upstream sends them, internal headers removed (their names
 * folded as on requests). A header value that cannot be written (raw Unicode, CR/LF) turns the
 * answer into a logged 500 rather than a throw on the hijacked socket, which left clients
 * waiting forever. Never rejects: a body that fails midway destroys the connection.
 */
export async function writeResponse(
  req: SwiftRequest | undefined,
  res: SwiftResponse,
  out: ServerResponse,
  txId: string,
  log: Logger,
  options: EdgeOptions = CLIENT,
): Promise<void> {
  if (out.headersSent) {
    // Answered already, by the HTTP layer's deadline: this late answer has nowhere to go.
    dropBody(res.body);
    return;
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if ((!options.gatekeeper || !INTERNAL.test(k.replaceAll('_', '-'))) && v !== undefined) headers[k] = v;
  }
  try {
    assertHeaderValues(headers);
  } catch (err) {
    log.error(
      { err, tx: txId, method: req?.method, path: req?.path },
      'object storage response cannot be written',
    );
    dropBody(res.body);
    await writeResponse(req, errorResponse(500), out, txId, log, options);
    return;
  }
  headers['x-trans-id'] = txId;
  headers['x-openstack-request-id'] = txId;
  headers.date = httpNow();
  headers['content-type'] ??= 'text/html; charset=UTF-8';
  const known = bodyLength(res.body);
  const head = req?.method === 'HEAD';
  if (headers['content-length'] === undefined) {
    if (known !== undefined) headers['content-length'] = String(head ? 0 : known);
    else if (!head) headers['transfer-encoding'] = 'chunked';
  }
  if (res.status === 204 || res.status === 304) {
    delete headers['content-length'];
    delete headers['transfer-encoding'];
  }
  const body = res.body;
  try {
    out.writeHead(res.status, headers);
  } catch (err) {
    // A value Node still refuses (a header name): answer 500 rather than leave the client waiting.
    log.error({ err, tx: txId, method: req?.method, path: req?.path }, 'object storage response not written');
    dropBody(body);
    const fault = errorResponse(500);
    answerAndClose(
      out,
      500,
      { ...fault.headers, 'x-trans-id': txId, 'x-openstack-request-id': txId },
      head ? undefined : String(fault.body ?? ''),
    );
    return;
  }
  if (head || body === undefined || res.status === 204 || res.status === 304) {
    dropBody(body);
    out.end();
    return;
  }
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    out.end(body);
    return;
  }
  try {
    if (isDirectBody(body)) {
      await body.writeTo(out);
      out.end();
    } else await pipeline(body instanceof Readable ? body : Readable.from(body), out);
  } catch (err) {
    log.debug({ err, tx: txId }, 'response stream ended early');
    dropBody(body);
    out.destroy();
  }
}

/** How `serveRequest` runs for one caller. */
export interface ServeOptions extends EdgeOptions {
  /** The transaction id (the HTTP layer's request id); default a new one. */
  txId?: string;
}

/**
 * Runs one client request through the pipeline and answers it. Never rejects: a handler's throw
 * is a logged 500, and anything failing after the answer started destroys the connection.
 */
export async function serveRequest(
  handler: Handler,
  raw: IncomingMessage,
  out: ServerResponse,
  log: Logger,
  options: ServeOptions = CLIENT,
): Promise<void> {
  const given = raw.headers['x-trans-id'];
  const txId = options.txId ?? (!options.gatekeeper && typeof given === 'string' ? given : transactionId());
  let parsed: SwiftRequest | undefined;
  try {
    const request = toSwiftRequest(raw, options);
    if (!('env' in request)) {
      await writeResponse(undefined, request, out, txId, log, options);
      return;
    }
    parsed = request;
    parsed.env.txId = txId;
    let res: SwiftResponse;
    try {
      res = await handler(parsed);
    } catch (err) {
      log.error({ err, tx: txId, method: parsed.method, path: parsed.path }, 'object storage request failed');
      res = errorResponse(500);
    }
    await writeResponse(parsed, res, out, txId, log, options);
    if (res.status >= 500)
      log.warn({ tx: txId, method: parsed.method, path: parsed.path, status: res.status }, 'request failed');
  } catch (err) {
    log.error({ err, tx: txId, method: parsed?.method, path: parsed?.path }, 'object storage answer failed');
    const fault = errorResponse(500);
    const body = raw.method === 'HEAD' ? undefined : String(fault.body ?? '');
    answerAndClose(out, 500, { ...fault.headers, 'x-trans-id': txId, 'x-openstack-request-id': txId }, body);
  }
}
