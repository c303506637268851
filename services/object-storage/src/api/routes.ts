import { type ApiRequest, type HttpMethod, type Route, route } from '@nimbus/http';
import type { Logger } from '@nimbus/logging';
import type { Handler } from '../common/swift-http';
import { serveRequest } from './swift-edge';

/** What the object storage routes need. */
export interface ObjectStorageServices {
  pipeline: Handler;
  log: Logger;
}

const METHODS: HttpMethod[] = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'COPY', 'OPTIONS'];

/**
 * Hands every request to the Swift pipeline, which does its own authentication (token, TempURL,
 * FormPost, ACLs) and writes its own response, streaming bodies both ways.
 */
async function swiftHandler(req: ApiRequest<unknown, ObjectStorageServices>): Promise<undefined> {
  req.reply.hijack();
  // One id for the request: the HTTP layer's faults (a deadline) and Swift's answer agree on it.
  await serveRequest(req.services.pipeline, req.raw.raw, req.reply.raw, req.services.log, {
    gatekeeper: true,
    txId: req.requestId,
  });
  return undefined;
}

/** One catch-all route per method: Swift's paths hold any object name. */
export const objectStorageRoutes: Route[] = METHODS.flatMap((m) => [
  route(m, '/', swiftHandler, { public: true, stream: true }),
  route(m, '/*', swiftHandler, { public: true, stream: true }),
]);
