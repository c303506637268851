import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
} from '@nimbus/errors';

export const imageNotFound = (id: string) =>
  new NotFoundError(`No image found with ID ${id}`, { code: 'IMAGE_NOT_FOUND' });
export const forbidden = (message: string) => new ForbiddenError(message, { code: 'IMAGE_FORBIDDEN' });
export const badRequest = (message: string) => new BadRequestError(message, { code: 'IMAGE_BAD_REQUEST' });
export const conflict = (message: string) => new ConflictError(message, { code: 'IMAGE_CONFLICT' });
export const tooLarge = (message: string) => new PayloadTooLargeError(message, { code: 'IMAGE_TOO_LARGE' });
export const tagNotFound = (tag: string) =>
  new NotFoundError(`Tag ${tag} not found`, { code: 'IMAGE_TAG_NOT_FOUND' });
