import {
  type IncomingMessage,
  type OutgoingHttpHeaders,
  STATUS_CODES,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Duplex } from 'node:stream';
import type { Fault, FaultRenderer } from './fault-renderers';

/**
 * Answers on the raw response, outside the framework (a hijacked reply, a deadline): status,
 * headers, body, and `Connection: close`, since whatever still runs for this request may leave
 * the connection in an unknown state. When even that cannot be written (the answer had started),
 * the connection is destroyed: the client sees a reset rather than waiting forever. A response
 * already complete is left alone. Returns whether it answered.
 */
export function answerAndClose(
  res: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders,
  body: string | undefined,
): boolean {
  // Answered in full already: closing now could cut what is still being flushed.
  if (res.writableEnded) return false;
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return false;
  }
  try {
    const bytes = body === undefined ? undefined : Buffer.from(body);
    res.writeHead(status, { ...headers, 'content-length': bytes?.length ?? 0, connection: 'close' });
    res.end(bytes);
    return true;
  } catch {
    res.destroy();
    return false;
  }
}

/**
 * Writes a whole HTTP/1.1 response on a socket Node's server handed over unanswered (a `CONNECT`
 * tunnel request), then closes it. Header values must already be valid (ASCII).
 */
export function answerOnSocket(
  socket: Duplex,
  status: number,
  headers: Record<string, string>,
  body: string,
): void {
  const bytes = Buffer.from(body);
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`];
  for (const [k, v] of Object.entries({
    ...headers,
    'content-length': String(bytes.length),
    connection: 'close',
  }))
    lines.push(`${k}: ${v}`);
  lines.push(`date: ${new Date().toUTCString()}`, '', '');
  socket.on('error', () => socket.destroy());
  if (socket.writable) socket.end(Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), bytes]));
  else socket.destroy();
}

/** Renders `fault` in the service's style, request id headers included, and answers it with `answerAndClose`. */
export function answerFaultAndClose(
  res: ServerResponse,
  req: IncomingMessage,
  faults: FaultRenderer,
  idHeaders: readonly string[],
  fault: Fault,
): boolean {
  const rendered = faults({ ...fault, accept: req.headers.accept });
  const headers: Record<string, string> = {
    ...fault.headers,
    ...rendered.headers,
    'content-type': rendered.contentType,
  };
  for (const h of idHeaders) headers[h] = fault.requestId;
  return answerAndClose(res, fault.status, headers, req.method === 'HEAD' ? undefined : rendered.body);
}

/**
 * Answers `CONNECT` (which Node hands over as a tunnel request, outside any router, and would
 * otherwise close without a word) with a 405 fault in the service's style, as upstream does.
 */
export function refuseTunnels(
  server: Server,
  faults: FaultRenderer,
  idHeaders: readonly string[],
  newRequestId: () => string,
): void {
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    const requestId = newRequestId();
    const fault = { status: 405, message: 'The method is not allowed for the requested URL.', requestId };
    const rendered = faults({ ...fault, accept: req.headers.accept });
    const headers: Record<string, string> = { ...rendered.headers, 'content-type': rendered.contentType };
    for (const h of idHeaders) headers[h] = requestId;
    answerOnSocket(socket, 405, headers, rendered.body);
  });
}
