import { BadRequestError, ForbiddenError, NotImplementedError, UnauthorizedError } from '@nimbus/errors';

/** Keystone's one message for every failed authentication: nothing says what was wrong. */
export const AUTH_REQUIRED = 'The request you have made requires authentication.';

/** A failed authentication (401). The detail goes to the debug log, never to the caller. */
export function authFailed(): UnauthorizedError {
  return new UnauthorizedError(AUTH_REQUIRED, { code: 'IDENTITY_AUTH_FAILED' });
}

/** Keystone's ValidationError: `Expecting to find <attribute> in <target>. ...` (400). */
export function expectingToFind(attribute: string, target: string): BadRequestError {
  return new BadRequestError(
    `Expecting to find ${attribute} in ${target}. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`,
    { code: 'IDENTITY_VALIDATION' },
  );
}

/** Keystone's AuthMethodNotSupported (401). */
/**
 * An enabled Keystone method Nimbus does not build yet (501, never 401: the credentials were not
 * judged wrong, the method is missing).
 */
export function methodNotImplemented(method: string): NotImplementedError {
  return new NotImplementedError(
    `The '${method}' authentication method is not implemented by this identity service.`,
    { code: 'IDENTITY_AUTH_METHOD_NOT_IMPLEMENTED' },
  );
}

export function methodNotSupported(): UnauthorizedError {
  return new UnauthorizedError('Attempted to authenticate with an unsupported method.', {
    code: 'IDENTITY_AUTH_METHOD_UNSUPPORTED',
  });
}

/** Keystone's ForbiddenAction (403). */
export function forbiddenAction(action: string): ForbiddenError {
  return new ForbiddenError(`You are not authorized to perform the requested action: ${action}.`, {
    code: 'IDENTITY_FORBIDDEN_ACTION',
  });
}
