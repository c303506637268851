import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '@nimbus/errors';

/** Keystone's DomainNotFound / ProjectNotFound (404). */
export function notFound(kind: 'domain' | 'project', id: string): NotFoundError {
  return new NotFoundError(`Could not find ${kind}: ${id}.`, {
    code: `IDENTITY_${kind.toUpperCase()}_NOT_FOUND`,
  });
}

/** Keystone's Conflict (409): `Conflict occurred attempting to store <type> - <details>.` */
export function conflict(type: string, details: string): ConflictError {
  return new ConflictError(`Conflict occurred attempting to store ${type} - ${details}.`, {
    code: 'IDENTITY_CONFLICT',
  });
}

/** Keystone's ValidationError with a message of its own (400). */
export function invalid(message: string): BadRequestError {
  return new BadRequestError(message, { code: 'IDENTITY_VALIDATION' });
}

/** Keystone's ForbiddenNotSecurity (403): the message is shown to the caller. */
export function forbidden(message: string): ForbiddenError {
  return new ForbiddenError(message, { code: 'IDENTITY_FORBIDDEN' });
}

/** Keystone's ProjectTagNotFound (404). */
export function tagNotFound(tag: string): NotFoundError {
  return new NotFoundError(`Could not find project tag: ${tag}.`, { code: 'IDENTITY_PROJECT_TAG_NOT_FOUND' });
}
