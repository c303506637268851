import { BadRequestError, ConflictError, ForbiddenError, NimbusError, NotFoundError } from '@nimbus/errors';

/** A flavor that does not exist or the caller may not use. */
export class FlavorNotFound extends NotFoundError {
  constructor(readonly flavorId: string) {
    super(`Flavor ${flavorId} could not be found.`, { code: 'COMPUTE_FLAVOR_NOT_FOUND' });
  }
}

/** A server that does not exist (or is not visible). */
export class InstanceNotFound extends NotFoundError {
  constructor(readonly instanceId: string) {
    super(`Instance ${instanceId} could not be found.`, { code: 'COMPUTE_INSTANCE_NOT_FOUND' });
  }
}

/** A key pair that does not exist. */
export class KeypairNotFound extends NotFoundError {
  constructor(name: string, userId: string) {
    super(`Keypair ${name} not found for user ${userId}`, { code: 'COMPUTE_KEYPAIR_NOT_FOUND' });
  }
}

/** An action the server's state does not allow (upstream's InstanceInvalidState, 409). */
export class InstanceInvalidState extends ConflictError {
  constructor(action: string, instanceId: string, attr: string, state: string | null) {
    super(`Cannot '${action}' instance ${instanceId} while it is in ${attr} ${state ?? 'None'}`, {
      code: 'COMPUTE_INSTANCE_INVALID_STATE',
    });
  }
}

/** A locked server acted on by someone who may not override the lock. */
export class InstanceIsLocked extends ConflictError {
  constructor(instanceId: string) {
    super(`Instance ${instanceId} is locked`, { code: 'COMPUTE_INSTANCE_LOCKED' });
  }
}

/** Quota exceeded on create (403, as upstream). */
export class QuotaExceeded extends ForbiddenError {
  constructor(message: string) {
    super(message, { code: 'COMPUTE_QUOTA_EXCEEDED' });
  }
}

/** Scheduling found no host (its message is upstream's, kept in the server's fault). */
export class NoValidHost extends NimbusError {
  constructor(reason: string) {
    super('internal', `No valid host was found. ${reason}`.trim(), { code: 'COMPUTE_NO_VALID_HOST' });
  }
}

/** A build that failed on a host (the conductor may retry on an alternate). */
export class BuildFailed extends NimbusError {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super('internal', message, { code: 'COMPUTE_BUILD_FAILED' });
  }
}

/** Invalid input in a request body or query (400 with Nova's message). */
export class InvalidInput extends BadRequestError {
  constructor(message: string) {
    super(message, { code: 'COMPUTE_INVALID_INPUT' });
  }
}

/** A name or id that already exists (409). */
export class AlreadyExists extends ConflictError {
  constructor(message: string) {
    super(message, { code: 'COMPUTE_ALREADY_EXISTS' });
  }
}
