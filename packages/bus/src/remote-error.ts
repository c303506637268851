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
import { busErrorClasses } from './rpc-errors';

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
  /** The error's own JSON fields (`flavorId`...), so a declared class is rebuilt with them. */
  data?: Record<string, unknown>;
}

/** A domain error class the caller may get back as itself (any constructor signature). */
export type RemoteErrorClass = abstract new (...args: any[]) => NimbusError;

/** Remote error classes by name, as `deserializeError` looks them up. */
export type RemoteErrorClasses = ReadonlyMap<string, RemoteErrorClass>;

/** A lookup table of the given classes plus the bus's own (RpcTimeoutError, RpcUnsupportedVersionError...). */
export function remoteErrorClasses(classes: readonly RemoteErrorClass[] = []): RemoteErrorClasses {
  return new Map([...busErrorClasses, ...classes].map((c) => [c.name, c]));
}

const BUS_ERRORS = remoteErrorClasses();

/** Fields every NimbusError has; the rest of its own fields travel in `data`. */
const STANDARD_FIELDS = new Set([
  'name',
  'message',
  'stack',
  'cause',
  'category',
  'code',
  'type',
  'detail',
  'headers',
]);

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
    const data = ownData(err);
    if (data) out.data = data;
    return out;
  }
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

/**
 * Rebuilds a remote failure:
 * - an error whose class is in `classes` (or is one of the bus's own) comes back as an instance
 *   of that very class, its own fields restored (`instanceof FlavorNotFound` holds);
 * - any other Nimbus domain error keeps its category, code, message and name, as an instance of
 *   the category's class where @nimbus/errors has one (`instanceof NotFoundError` holds);
 * - anything else becomes an InternalError carrying the remote message.
 */
export function deserializeError(
  wire: SerializedError,
  classes: RemoteErrorClasses = BUS_ERRORS,
): NimbusError {
  if (wire.category === undefined) return new InternalError(wire.message);
  const declared = classes.get(wire.name) ?? BUS_ERRORS.get(wire.name);
  if (declared) return rebuild(declared, wire);
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

function rebuild(cls: RemoteErrorClass, wire: SerializedError): NimbusError {
  // Constructors of domain errors take their own arguments (`new FlavorNotFound(id)`): build the
  // instance without calling it and restore the fields it would have set.
  const err = Object.create(cls.prototype) as NimbusError;
  Object.assign(err, wire.data ?? {}, {
    message: wire.message,
    category: wire.category,
    code: wire.code,
    type: wire.type,
    detail: wire.detail,
    headers: wire.headers,
  });
  Object.defineProperty(err, 'name', { value: wire.name, configurable: true, writable: true });
  Object.defineProperty(err, 'stack', {
    value: `${wire.name}: ${wire.message}\n    at (remote RPC endpoint)`,
    configurable: true,
    writable: true,
  });
  return err;
}

function ownData(err: Error): Record<string, unknown> | undefined {
  let data: Record<string, unknown> | undefined;
  for (const key of Object.keys(err)) {
    if (STANDARD_FIELDS.has(key)) continue;
    const value = (err as unknown as Record<string, unknown>)[key];
    if (value === undefined || typeof value === 'function' || typeof value === 'bigint') continue;
    data ??= {};
    data[key] = value;
  }
  return data;
}
