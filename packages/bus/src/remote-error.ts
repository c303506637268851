import {
  BadRequestError,
  ConflictError,
  type ErrorCategory,
  ForbiddenError,
  InternalError,
  isNimbusError,
  NimbusError,
  type NimbusErrorOptions,
  NotFoundError,
  NotImplementedError,
  OverLimitError,
  PayloadTooLargeError,
  PreconditionFailedError,
  ServiceUnavailableError,
  TimeoutError,
  UnauthorizedError,
} from '@nimbus/errors';

/**
 * An exception as it travels in an RPC reply: enough to rebuild a domain error of the same kind
 * on the caller's side, never a stack trace (that stays in the server's log).
 */
export interface SerializedError {
  /** Class name on the server, e.g. `FlavorNotFound` or `TypeError`. */
  name: string;
  message: string;
  /** Present only for Nimbus domain errors. */
  category?: ErrorCategory;
  code?: string;
  type?: string;
  detail?: string;
  headers?: Record<string, string>;
}

type CategoryClass = new (message: string, options?: NimbusErrorOptions) => NimbusError;

/** The @nimbus/errors class of each category that has one, so `instanceof NotFoundError` works remotely. */
const classOfCategory: Partial<Record<ErrorCategory, CategoryClass>> = {
  bad_request: BadRequestError,
  unauthorized: UnauthorizedError,
  forbidden: ForbiddenError,
  not_found: NotFoundError,
  conflict: ConflictError,
  precondition_failed: PreconditionFailedError,
  payload_too_large: PayloadTooLargeError,
  over_limit: OverLimitError,
  not_implemented: NotImplementedError,
  unavailable: ServiceUnavailableError,
  internal: InternalError,
  timeout: TimeoutError,
};

/** Turns anything an endpoint threw into its wire form. */
export function serializeError(err: unknown): SerializedError {
  if (isNimbusError(err)) {
    const out: SerializedError = {
      name: err.name,
      message: err.message,
      category: err.category,
      code: err.code,
    };
    if (err.type !== undefined) out.type = err.type;
    if (err.detail !== undefined) out.detail = err.detail;
    if (err.headers !== undefined) out.headers = err.headers;
    return out;
  }
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

/**
 * Rebuilds a remote failure: a Nimbus domain error keeps its category, code, message and name (as
 * an instance of the category's class where @nimbus/errors has one); anything else becomes an
 * InternalError carrying the remote message.
 */
export function deserializeError(wire: SerializedError): NimbusError {
  if (wire.category === undefined) return new InternalError(wire.message);
  const options: NimbusErrorOptions = {
    code: wire.code,
    type: wire.type,
    detail: wire.detail,
    headers: wire.headers,
  };
  const cls = classOfCategory[wire.category];
  const err = cls ? new cls(wire.message, options) : new NimbusError(wire.category, wire.message, options);
  // Keep the server's class name (e.g. FlavorNotFound) for logs; the class is the category's.
  Object.defineProperty(err, 'name', { value: wire.name, configurable: true, writable: true });
  return err;
}

/** True when a reply body carries a failure in the shape `serializeError` writes. */
export function isSerializedError(value: unknown): value is SerializedError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SerializedError).name === 'string' &&
    typeof (value as SerializedError).message === 'string'
  );
}
