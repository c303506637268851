import type { Credentials } from '@nimbus/auth';
import type { Logger } from '@nimbus/logging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { Microversion } from './microversion';

/**
 * What a controller sees of a request: parsed and validated input, who is calling, the negotiated
 * microversion, and the service's own dependencies (`services`). Controllers stay free of fastify
 * except through the `raw`/`reply` escape hatches, which streaming endpoints need.
 */
export interface ApiRequest<B = any, S = any, Q = Record<string, string | string[]>, P = Record<string, string>> {
  readonly method: string;
  /** Path and query string as received. */
  readonly url: string;
  readonly path: string;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly headers: IncomingHttpHeaders;
  readonly requestId: string;
  /** The `X-OpenStack-Request-ID` a calling service passed on, as oslo's global_request_id. */
  readonly globalRequestId: string | undefined;
  /** The caller's credentials; throws 401 on routes that allow anonymous access when none were given. */
  readonly credentials: Credentials;
  /** The credentials when a valid token was given, else undefined. */
  readonly maybeCredentials: Credentials | undefined;
  /** The negotiated microversion (the service's minimum when it has none). */
  readonly microversion: Microversion;
  /** `scheme://host[:port]` the client used, for links. */
  readonly baseUrl: string;
  /** The service's own dependencies (managers, stores), as its wiring provided them. */
  readonly services: S;
  readonly log: Logger;
  /** Checks a policy rule against the caller; throws 403 (or 401 when anonymous) on denial. */
  authorize(action: string, target?: Record<string, unknown>): void;
  /** Like authorize, but answers instead of throwing. */
  allowed(action: string, target?: Record<string, unknown>): boolean;
  readonly raw: FastifyRequest;
  readonly reply: FastifyReply;
}

/** A response with an explicit status, headers or a non-JSON body. */
export class ApiReply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string | number | string[]> = {},
  ) {}
}

/**
 * Builds an explicit response. A Buffer, string or stream body is sent as is (set content-type in
 * headers); anything else is serialised as JSON.
 */
export function respond(status: number, body?: unknown, headers?: Record<string, string | number | string[]>): ApiReply {
  return new ApiReply(status, body, headers);
}
