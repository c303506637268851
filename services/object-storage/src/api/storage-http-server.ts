import http from 'node:http';
import type { Logger } from '@nimbus/logging';
import {
  answerAndClose,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  RequestDeadlines,
  spelledWriteHead,
} from '@nimbus/http';
import { swiftHeaderSpelling } from './swift-header-spelling';
import { errorResponse, type Handler } from '../common/swift-http';
import { serveRequest, transactionId } from './swift-edge';

/**
 * Serves one storage server (object, container or account) over HTTP on `ip:port`, so proxies
 * and replicators on other hosts reach this host's devices (upstream's object-server etc.).
 * The handler is the same function in-process callers use.
 */
export async function listenStorageServer(
  handler: Handler,
  ip: string,
  port: number,
  log: Logger,
  requestTimeoutSeconds = DEFAULT_REQUEST_TIMEOUT_SECONDS,
): Promise<http.Server> {
  const deadlines = new RequestDeadlines(requestTimeoutSeconds);
  const writeHead = spelledWriteHead(swiftHeaderSpelling);
  const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    res.writeHead = writeHead;
    const given = req.headers['x-trans-id'];
    const txId = typeof given === 'string' ? given : transactionId();
    // A storage server that never answers would hold its proxy until the proxy's own timeout.
    deadlines.watch(req, res, () => {
      log.error(
        { tx: txId, method: req.method, url: req.url, requestTimeoutSeconds },
        'storage request not answered in time',
      );
      // A body that stopped arriving is the sender's doing (408, as upstream), else ours (503).
      const fault = errorResponse(req.complete ? 503 : 408);
      const body = req.method === 'HEAD' ? undefined : String(fault.body);
      answerAndClose(res, fault.status, { ...fault.headers, 'x-trans-id': txId }, body);
    });
    void serveRequest(handler, req, res, log, { gatekeeper: false, txId });
  });
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
    log.warn(
      { code: err.code, reason: err.message, packet: err.rawPacket?.toString('latin1').slice(0, 200) },
      'bad request from a storage peer',
    );
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, () => resolve());
  });
  return server;
}
