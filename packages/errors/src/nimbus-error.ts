/**
 * What kind of failure an error is. The HTTP layer alone turns a category into a status code,
 * so managers and drivers never speak HTTP.
 */
export type ErrorCategory =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'not_acceptable'
  | 'conflict'
  | 'gone'
  | 'length_required'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'range_not_satisfiable'
  | 'unprocessable'
  | 'locked'
  | 'over_limit'
  | 'internal'
  | 'not_implemented'
  | 'unavailable'
  | 'timeout';

/** The HTTP status of each category. */
export const categoryStatus: Record<ErrorCategory, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  conflict: 409,
  gone: 410,
  length_required: 411,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
  unprocessable: 422,
  locked: 423,
  over_limit: 429,
  internal: 500,
  not_implemented: 501,
  unavailable: 503,
  timeout: 504,
};

/** Options every Nimbus error accepts. */
export interface NimbusErrorOptions {
  /** Stable machine-readable code, e.g. `IDENTITY_USER_NOT_FOUND`. */
  code?: string;
  /** Extra response headers the HTTP layer adds (e.g. `Retry-After`, `WWW-Authenticate`). */
  headers?: Record<string, string>;
  /** Upstream fault "type" where a service's body names it (Neutron's `NetworkNotFound`). */
  type?: string;
  /** Extra detail for bodies that carry it. */
  detail?: string;
  cause?: unknown;
}

/**
 * Base of every domain error. Carries a stable `code`, a `category` that decides the HTTP status,
 * and a message safe to show to the client.
 */
export class NimbusError extends Error {
  readonly category: ErrorCategory;
  readonly code: string;
  readonly headers: Record<string, string> | undefined;
  readonly type: string | undefined;
  readonly detail: string | undefined;

  constructor(category: ErrorCategory, message: string, options: NimbusErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.category = category;
    this.code = options.code ?? defaultCode(category);
    this.headers = options.headers;
    this.type = options.type;
    this.detail = options.detail;
  }

  /** The HTTP status this error maps to. */
  get status(): number {
    return categoryStatus[this.category];
  }
}

function defaultCode(category: ErrorCategory): string {
  return category.toUpperCase();
}

/** True when `err` is a Nimbus domain error. */
export function isNimbusError(err: unknown): err is NimbusError {
  return err instanceof NimbusError;
}
