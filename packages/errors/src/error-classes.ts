import { NimbusError, type NimbusErrorOptions } from './nimbus-error';

/** The request is malformed or fails validation (400). */
export class BadRequestError extends NimbusError {
  constructor(message: string, options?: NimbusErrorOptions) {
    super('bad_request', message, options);
  }
}

/** Authentication is missing or failed (401). */
export class UnauthorizedError extends NimbusError {
  constructor(message = 'The request you have made requires authentication.', options?: NimbusErrorOptions) {
    super('unauthorized', message, options);
  }
}

/** The caller is authenticated but not allowed (403). */
export class ForbiddenError extends NimbusError {
  constructor(message = 'You are not authorized to perform the requested action.', options?: NimbusErrorOptions) {
    super('forbidden', message, options);
  }
}

/** The resource does not exist, or the caller may not know it exists (404). */
export class NotFoundError extends NimbusError {
  constructor(message: string, options?: NimbusErrorOptions) {
    super('not_found', message, options);
  }
}

/** The resource's current state forbids the operation, or a uniqueness rule is broken (409). */
export class ConflictError extends NimbusError {
  constructor(message: string, options?: NimbusErrorOptions) {
    super('conflict', message, options);
  }
}

/** A precondition header did not match (412). */
export class PreconditionFailedError extends NimbusError {
  constructor(message = 'Precondition Failed', options?: NimbusErrorOptions) {
    super('precondition_failed', message, options);
  }
}

/** The request body is larger than allowed (413). */
export class PayloadTooLargeError extends NimbusError {
  constructor(message = 'Request Entity Too Large', options?: NimbusErrorOptions) {
    super('payload_too_large', message, options);
  }
}

/** A quota or rate limit is exceeded (413 for Nova/Cinder style, 429 elsewhere: the renderer decides). */
export class OverLimitError extends NimbusError {
  constructor(message: string, options?: NimbusErrorOptions) {
    super('over_limit', message, options);
  }
}

/** The feature exists upstream but is not implemented here (501). Never a fake success. */
export class NotImplementedError extends NimbusError {
  constructor(message = 'The requested function is not implemented.', options?: NimbusErrorOptions) {
    super('not_implemented', message, options);
  }
}

/** A backend needed for the request is down (503). */
export class ServiceUnavailableError extends NimbusError {
  constructor(message = 'The service is unavailable.', options?: NimbusErrorOptions) {
    super('unavailable', message, options);
  }
}

/** An unexpected failure: logged with the request id, shown as a generic 500. */
export class InternalError extends NimbusError {
  constructor(message = 'An unexpected error prevented the server from fulfilling your request.', options?: NimbusErrorOptions) {
    super('internal', message, options);
  }
}

/** The RPC peer or backend did not answer in time. */
export class TimeoutError extends NimbusError {
  constructor(message: string, options?: NimbusErrorOptions) {
    super('timeout', message, options);
  }
}
