import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
} from '@nimbus/errors';

/** Keystone's generic NotFound wording for one resource (`Could not find credential: x.`). */
export class ExtNotFound extends NotFoundError {
  constructor(what: string, id: string, code: string) {
    super(`Could not find ${what}: ${id}.`, { code });
  }
}

/** Keystone's ValidationError "Expecting to find X in Y." wording. */
export class ExpectingAttribute extends BadRequestError {
  constructor(attribute: string, target: string) {
    super(
      `Expecting to find ${attribute} in ${target}. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`,
      { code: 'IDENTITY_VALIDATION' },
    );
  }
}

/** Keystone's ForbiddenAction: `You are not authorized to perform the requested action: X.` */
export class ForbiddenAction extends ForbiddenError {
  constructor(action: string) {
    super(`You are not authorized to perform the requested action: ${action}.`, {
      code: 'IDENTITY_FORBIDDEN_ACTION',
    });
  }
}

/** Keystone's Conflict: `Conflict occurred attempting to store <type> - <details>.` */
export class StoreConflict extends ConflictError {
  constructor(type: string, details: string) {
    super(`Conflict occurred attempting to store ${type} - ${details}.`, { code: 'IDENTITY_CONFLICT' });
  }
}

/** A 401 with Keystone's fixed wording (details never reach the client). */
export class ExtUnauthorized extends UnauthorizedError {
  constructor(code = 'IDENTITY_UNAUTHORIZED') {
    super('The request you have made requires authentication.', { code });
  }
}

/** A 404 with a message worded in full by the caller. */
export class PlainNotFound extends NotFoundError {
  constructor(message: string, code: string) {
    super(message, { code });
  }
}
