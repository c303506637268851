import { randomUUID } from 'node:crypto';
import type { Credentials } from '@nimbus/auth';
import { UnauthorizedError } from '@nimbus/errors';
import fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import FindMyWay from 'find-my-way';
import { ApiReply } from './api-request';
import type { Fault } from './fault-renderers';
import { spelledWriteHead } from './header-spelling';
import { assertHeaderValues, InvalidHeaderValueError, isValidHeaderValue } from './header-value';
import { HttpApiRequest } from './http-api-request';
import { DEFAULT_BODY_LIMIT_BYTES, type HttpServiceSpec } from './http-service-spec';
import { httpDuration, metricsText } from './metrics';
import { Microversion, microversionHeaders, negotiateMicroversion } from './microversion';
import { answerFaultAndClose, refuseTunnels } from './raw-answer';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS, RequestDeadlines } from './request-deadline';
import type { HttpMethod, Route } from './route';
import { toFault } from './to-fault';
import {
  compileBodySchema,
  compileQuerySchema,
  keystoneValidationMessage,
  lazily,
  validateOrThrow,
} from './validation';

/**
 * Builds the fastify server of one service: request ids, body limits, content types, token
 * validation, microversions, validation, policy and fault rendering, then the service's routes.
 * Test it in-process with `server.inject()`; `listen()` is the caller's.
 */
export function createHttpServer<S>(spec: HttpServiceSpec<S>): FastifyInstance {
  const app = fastify({
    bodyLimit: spec.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    genReqId: spec.newRequestId ?? (() => `req-${randomUUID()}`),
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 8192 },
    frameworkErrors: (error, request, reply) => {
      const status =
        error.code === 'FST_ERR_BAD_URL' && spec.badUrl ? spec.badUrl.status : (error.statusCode ?? 400);
      const message = error.code === 'FST_ERR_BAD_URL' && spec.badUrl ? spec.badUrl.message : error.message;
      if (spec.headerSpelling) reply.raw.writeHead = spelledWriteHead(spec.headerSpelling);
      for (const h of spec.requestIdHeaders ?? ['x-openstack-request-id']) reply.header(h, request.id);
      const rendered = spec.faults({
        status,
        message,
        requestId: request.id,
        accept: request.headers.accept,
      });
      (reply as FastifyReply).code(status).header('content-type', rendered.contentType).send(rendered.body);
    },
  });
  const idHeaders = spec.requestIdHeaders ?? ['x-openstack-request-id'];
  const minVersion = spec.microversions
    ? Microversion.parse(spec.microversions.min)!
    : new Microversion(1, 0);

  registerContentTypes(app, spec);
  // WebDAV's COPY (Swift's server-side copy) is not among fastify's default methods.
  if (spec.routes.some((r) => r.method === 'COPY')) app.addHttpMethod('COPY', { hasBody: true });

  const debugEnabled = spec.logger.isLevelEnabled('debug');
  /** Request ids and metrics are stamped inline rather than in hooks: hooks cost ~10 µs a request. */
  const writeHead = spec.headerSpelling ? spelledWriteHead(spec.headerSpelling) : undefined;
  const stamp = (request: FastifyRequest, reply: FastifyReply) => {
    if (writeHead) reply.raw.writeHead = writeHead;
    for (const h of idHeaders) reply.header(h, request.id);
  };
  const observe = (request: FastifyRequest, reply: FastifyReply, routeUrl: string) => {
    const seconds = reply.elapsedTime / 1000;
    const status = reply.statusCode;
    httpDuration.observe(
      `${spec.name} ${request.method} ${routeUrl} ${status}`,
      () => ({ service: spec.name, method: request.method, route: routeUrl, status: String(status) }),
      seconds,
    );
    if (reply.statusCode >= 500)
      spec.logger.warn(
        { req: request.id, method: request.method, url: request.url, status: reply.statusCode, seconds },
        'request failed',
      );
    else if (debugEnabled)
      spec.logger.debug(
        { req: request.id, method: request.method, url: request.url, status: reply.statusCode, seconds },
        'request',
      );
  };
  app.setErrorHandler((error, request, reply) => {
    const fault = toFault(error, request.id, spec.logger, request.headers.accept);
    if (error instanceof InvalidHeaderValueError) dropInvalidHeaders(reply);
    // The reply was taken over (hijacked) but never answered: nobody else will answer it.
    if (reply.sent) answerRaw(request, reply, fault);
    else {
      stamp(request, reply);
      sendFault(reply, request, fault);
    }
    observe(request, reply, request.routeOptions.url ?? 'unmatched');
    return reply;
  });
  const timeoutSeconds = spec.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS;
  const deadlines = new RequestDeadlines(timeoutSeconds);
  /** A request not answered in time gets a logged 503 (408 when its body stalled) and is closed. */
  const deadline = (request: FastifyRequest, reply: FastifyReply, routeUrl: string) =>
    deadlines.watch(request.raw, reply.raw, () => {
      // A body that stopped arriving is the client's doing (upstream's 408); else the server's.
      const stalled = !request.raw.complete;
      spec.logger.error(
        { req: request.id, method: request.method, url: request.url, timeoutSeconds, stalled },
        'request not answered in time',
      );
      answerRaw(request, reply, {
        status: stalled ? 408 : 503,
        message: stalled
          ? 'The server has waited too long for the request to be sent by the client.'
          : `The server could not answer the request in time. (request id ${request.id})`,
        requestId: request.id,
      });
      observe(request, reply, routeUrl);
    });
  /** Answers outside fastify, whatever the handler still does with the reply later. */
  function answerRaw(request: FastifyRequest, reply: FastifyReply, fault: Fault): void {
    if (!reply.sent) reply.hijack();
    answerFaultAndClose(reply.raw, request.raw, spec.faults, idHeaders, fault);
  }
  refuseTunnels(app.server, spec.faults, idHeaders, spec.newRequestId ?? (() => `req-${randomUUID()}`));
  const allowedMethods = pathIndex(spec.routes);
  app.setNotFoundHandler((request, reply) => {
    stamp(request, reply);
    observe(request, reply, 'unmatched');
    const allowed = allowedMethods(request.method, request.url.split('?', 1)[0] ?? '/');
    if (allowed.length) {
      reply.header('allow', allowed.join(', '));
      return sendFault(reply, request, {
        status: 405,
        message: 'The method is not allowed for the requested URL.',
        requestId: request.id,
        accept: request.headers.accept,
      });
    }
    return sendFault(reply, request, {
      status: 404,
      message: 'The resource could not be found.',
      requestId: request.id,
      accept: request.headers.accept,
    });
  });

  function sendFault(reply: FastifyReply, request: FastifyRequest, fault: Fault): FastifyReply {
    const rendered = spec.faults({ ...fault, accept: request.headers.accept });
    reply.code(fault.status).header('content-type', rendered.contentType);
    for (const [k, v] of Object.entries({ ...fault.headers, ...rendered.headers })) reply.header(k, v);
    // A streamed body the handler refused before reading stays on the connection: close it after
    // this answer rather than reuse it (the next request would wait behind the unread bytes).
    // Also when the handler gave up on the body midway (its reader destroyed the stream): the
    // rest of it is still on the socket, and the next request would wait behind it forever.
    if (!request.raw.complete) reply.header('connection', 'close');
    return reply.send(request.method === 'HEAD' ? undefined : rendered.body);
  }

  app.get('/healthcheck', async (request, reply) => {
    stamp(request, reply);
    const ok = spec.healthy ? await spec.healthy() : true;
    reply
      .code(ok ? 200 : 503)
      .header('content-type', 'text/plain')
      .send(ok ? 'OK' : 'DOWN');
  });
  app.get('/metrics', async (request, reply) => {
    stamp(request, reply);
    const m = await metricsText();
    reply.header('content-type', m.contentType).send(m.body);
  });

  for (const [key, variants] of groupRoutes(spec.routes)) {
    const [method, path] = key.split(' ', 2) as [HttpMethod, string];
    const prepared = variants.map((r) => ({
      route: r,
      // Validators compile on a route's first use: compiling every schema of every service up
      // front was most of the all-in-one cloud's start-up.
      body: r.options.body ? lazily(() => compileBodySchema(r.options.body!)) : undefined,
      query: r.options.query ? lazily(() => compileQuerySchema(r.options.query!)) : undefined,
      since: r.options.since ? Microversion.parse(r.options.since) : undefined,
      until: r.options.until ? Microversion.parse(r.options.until) : undefined,
    }));
    const format = spec.validationMessage ?? keystoneValidationMessage;
    app.route({
      method,
      url: path,
      handler: async (request, reply) => {
        stamp(request, reply);
        deadline(request, reply, path);
        let version = minVersion;
        if (spec.microversions) {
          version = negotiateMicroversion(request.headers, spec.microversions);
          for (const [h, v] of Object.entries(microversionHeaders(version, spec.microversions)))
            reply.header(h, v);
        }
        const chosen = prepared.find(
          (p) => (!p.since || version.compare(p.since) >= 0) && (!p.until || version.compare(p.until) <= 0),
        );
        if (!chosen) {
          return sendFault(reply, request, {
            status: 404,
            message: 'The resource could not be found.',
            requestId: request.id,
          });
        }
        const opts = chosen.route.options;
        let creds: Credentials | undefined;
        const token = request.headers['x-auth-token'];
        if (
          typeof token === 'string' &&
          token !== '' &&
          spec.tokenValidator &&
          (!opts.public || opts.optionalAuth)
        ) {
          creds = await spec.tokenValidator.validate(token);
        } else if (!opts.public && !opts.optionalAuth) {
          throw new UnauthorizedError();
        }
        if (chosen.query) validateOrThrow(chosen.query(), request.query ?? {}, format);
        if (chosen.body) validateOrThrow(chosen.body(), request.body, format);
        let result: unknown;
        try {
          result = await chosen.route.handler(new HttpApiRequest(request, reply, spec, version, creds));
        } catch (err) {
          // fastify drops the errors of a hijacked reply (Swift's): answer them here.
          if (!reply.sent) throw err;
          answerRaw(request, reply, toFault(err, request.id, spec.logger, request.headers.accept));
          observe(request, reply, path);
          return undefined;
        }
        // Handing the payload back to fastify (rather than sending it from inside the handler) lets
        // it write headers and body in one go: ~20 µs less a request on this machine.
        // A handler that answered before its body arrived whole (it refused it midway) leaves the
        // rest on the socket: close after this answer rather than reuse the connection.
        if (!reply.sent && !request.raw.complete) reply.header('connection', 'close');
        const payload = prepareResult(reply, result, opts.status);
        observe(request, reply, path);
        return payload;
      },
    });
  }
  return app;
}

/** Sets status and headers from a handler's result and returns the body fastify should send. */
function prepareResult(reply: FastifyReply, result: unknown, defaultStatus: number | undefined): unknown {
  // A streaming service (Swift) answered on the raw socket itself.
  if (reply.sent) return undefined;
  if (result instanceof ApiReply) {
    reply.code(result.status);
    for (const [k, v] of Object.entries(result.headers)) reply.header(k, v);
  }
  // Every header set so far, whoever set it: a value Node would refuse fails here, as a logged
  // 500 in the service's fault body, rather than in fastify's write.
  assertHeaderValues(reply.getHeaders());
  if (result instanceof ApiReply) {
    if (result.body === undefined) return reply.send();
    if (
      typeof result.body === 'object' &&
      result.body !== null &&
      !Buffer.isBuffer(result.body) &&
      !isStream(result.body)
    ) {
      if (!reply.hasHeader('content-type')) reply.header('content-type', 'application/json');
      return JSON.stringify(result.body);
    }
    return result.body;
  }
  if (result === undefined) return reply.code(defaultStatus ?? 204).send();
  reply.code(defaultStatus ?? 200).header('content-type', 'application/json');
  return JSON.stringify(result);
}

/** Removes the headers a fault must not carry on: those whose value cannot be written. */
function dropInvalidHeaders(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && !isValidHeaderValue(v))) reply.removeHeader(name);
  }
}

function isStream(value: unknown): boolean {
  return typeof (value as { pipe?: unknown }).pipe === 'function';
}

function groupRoutes(routes: readonly Route[]): Map<string, Route[]> {
  const groups = new Map<string, Route[]>();
  // HEAD routes first so fastify's automatic HEAD-for-GET does not claim them.
  const ordered = [...routes].sort((a, b) => Number(b.method === 'HEAD') - Number(a.method === 'HEAD'));
  for (const r of ordered) {
    const key = `${r.method} ${r.path}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return groups;
}

const METHODS: HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'COPY', 'OPTIONS'];

/** A second router holding only paths, to tell 405 (path known, method not) from 404. */
function pathIndex(routes: readonly Route[]): (method: string, path: string) => string[] {
  const router = FindMyWay({ ignoreTrailingSlash: true, maxParamLength: 8192 });
  const seen = new Set<string>();
  const add = (method: string, path: string) => {
    if (seen.has(`${method} ${path}`)) return;
    seen.add(`${method} ${path}`);
    router.on(method as FindMyWay.HTTPMethod, path, () => {});
  };
  for (const r of routes) {
    add(r.method, r.path);
    if (r.method === 'GET') add('HEAD', r.path);
  }
  return (method, path) =>
    METHODS.filter((m) => m !== method && router.find(m as FindMyWay.HTTPMethod, path) !== null);
}

function registerContentTypes<S>(app: FastifyInstance, spec: HttpServiceSpec<S>): void {
  const strictParser = app.getDefaultJsonParser('error', 'error');
  // Clients (Tempest among them) send `Content-Type: application/json` with no body on PUT and
  // DELETE; an empty body is no body. A route that needs one still fails its body schema.
  const jsonParser: typeof strictParser = (req, body, done) =>
    (body as string).length === 0 ? done(null, undefined) : strictParser(req, body, done);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, jsonParser);
  for (const type of spec.jsonContentTypes ?? [])
    app.addContentTypeParser(type, { parseAs: 'string' }, jsonParser);
  if (spec.untypedBodyIsJson) {
    app.addHook('onRequest', (req, _reply, done) => {
      const h = req.headers;
      const hasBody = h['transfer-encoding'] !== undefined || (h['content-length'] ?? '0') !== '0';
      if (h['content-type'] === undefined && hasBody) h['content-type'] = 'application/json';
      done();
    });
  }
  const passThrough = (
    _req: FastifyRequest,
    payload: NodeJS.ReadableStream,
    done: (err: Error | null, body?: unknown) => void,
  ) => done(null, payload);
  if (spec.streamContentTypes === '*') {
    // Every body goes to the service untouched, JSON included (an object may be JSON).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', passThrough);
  } else {
    for (const type of spec.streamContentTypes ?? []) app.addContentTypeParser(type, passThrough);
  }
}
