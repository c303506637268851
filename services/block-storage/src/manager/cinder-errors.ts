import { BadRequestError, ConflictError, NimbusError, NotFoundError, OverLimitError } from '@nimbus/errors';

/** A resource the request names does not exist (404 `itemNotFound`). */
export class CinderNotFound extends NotFoundError {
  constructor(kind: string, id: string) {
    super(`${kind} ${id} could not be found.`, {
      code: `BLOCK_STORAGE_${kind.toUpperCase().replace(/\W+/g, '_')}_NOT_FOUND`,
    });
  }
}

/** A volume with this id does not exist. */
export class VolumeNotFound extends CinderNotFound {
  constructor(id: string) {
    super('Volume', id);
  }
}

/** Bad input (400 `badRequest`). */
export class CinderInvalid extends BadRequestError {
  constructor(message: string, code = 'BLOCK_STORAGE_INVALID') {
    super(message, { code });
  }
}

/** The resource is in a state that forbids the action (400 `badRequest`, as Cinder's InvalidVolume). */
export class InvalidVolume extends BadRequestError {
  constructor(reason: string) {
    super(`Invalid volume: ${reason}`, { code: 'BLOCK_STORAGE_INVALID_VOLUME' });
  }
}

/** A snapshot state or input that forbids the action (400). */
export class InvalidSnapshot extends BadRequestError {
  constructor(reason: string) {
    super(`Invalid snapshot: ${reason}`, { code: 'BLOCK_STORAGE_INVALID_SNAPSHOT' });
  }
}

/** A backup state that forbids the action (400). */
export class InvalidBackup extends BadRequestError {
  constructor(reason: string) {
    super(`Invalid backup: ${reason}`, { code: 'BLOCK_STORAGE_INVALID_BACKUP' });
  }
}

/** Conflicting request (409), e.g. a duplicate type name. */
export class CinderConflict extends ConflictError {
  constructor(message: string) {
    super(message, { code: 'BLOCK_STORAGE_CONFLICT' });
  }
}

/** Quota exceeded (413 `overLimit`, as Cinder's VolumeSizeExceedsAvailableQuota and friends). */
export class QuotaExceeded extends NimbusError {
  constructor(message: string) {
    super('payload_too_large', message, { code: 'BLOCK_STORAGE_QUOTA_EXCEEDED' });
  }
}

/** Too many requests of a kind (429). */
export class CinderOverLimit extends OverLimitError {}
