import type { ApiReply, ApiRequest } from './api-request';
import type { JsonSchema } from './validation';

/** HTTP methods a route can answer. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'COPY' | 'OPTIONS';

/** What a handler returns: a JSON-able value (sent with the route's status), an ApiReply, or nothing (204). */
export type HandlerResult = unknown | ApiReply | undefined;

/** A controller function. */
export type Handler<B = any, S = any> = (req: ApiRequest<B, S>) => Promise<HandlerResult> | HandlerResult;

/** Per-route behaviour, declared beside the route. */
export interface RouteOptions {
  /** JSON Schema of the body; validated strictly (no coercion, nothing stripped). */
  body?: JsonSchema;
  /** JSON Schema of the query string (values are strings). */
  query?: JsonSchema;
  /** Status of a successful answer (default 200, or 204 when the handler returns nothing). */
  status?: number;
  /** First microversion that has this route. */
  since?: string;
  /** Last microversion that has this route. */
  until?: string;
  /** No token needed (version documents, token issue). */
  public?: boolean;
  /** A token is validated when given, but not required. */
  optionalAuth?: boolean;
  /** The body is not parsed: the handler streams `req.raw` itself. */
  stream?: boolean;
}

/** One line of a route table. */
export interface Route {
  method: HttpMethod;
  path: string;
  handler: Handler;
  options: RouteOptions;
}

/** Declares a route: `route('GET', '/v3/users/:user_id', getUser, { status: 200 })`. */
export function route<B = any, S = any>(method: HttpMethod, path: string, handler: Handler<B, S>, options: RouteOptions = {}): Route {
  return { method, path, handler: handler as Handler, options };
}
