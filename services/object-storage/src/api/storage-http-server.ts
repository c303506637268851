import http from 'node:http';
import type { Logger } from '@nimbus/logging';
import type { Handler } from '../common/swift-http';
import { serveRequest } from './swift-edge';

/**
 * Serves one storage server (object, container or account) over HTTP on `ip:port`, so proxies
 * and replicators on other hosts reach this host's devices (upstream's object-server etc.).
 * The handler is the same function in-process callers use.
 */
export async function listenStorageServer(handler: Handler, ip: string, port: number, log: Logger): Promise<http.Server> {
  const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    serveRequest(handler, req, res, log, { gatekeeper: false }).catch((err) => {
      log.error({ err }, 'storage request failed');
      res.destroy();
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
    log.warn({ code: err.code, reason: err.message, packet: err.rawPacket?.toString('latin1').slice(0, 200) }, 'bad request from a storage peer');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, () => resolve());
  });
  return server;
}
