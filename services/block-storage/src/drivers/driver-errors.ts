import { BadRequestError, NimbusError, type NimbusErrorOptions, NotImplementedError } from '@nimbus/errors';

/**
 * A backend fault. `retryable` says whether repeating the same call may succeed (a busy backend,
 * a transient I/O error); the manager puts the resource in `error` (`error_deleting`,
 * `error_extending`...) when it is not, or after its retries run out.
 */
export class VolumeDriverError extends NimbusError {
  readonly retryable: boolean;

  constructor(message: string, options: NimbusErrorOptions & { retryable?: boolean } = {}) {
    super('internal', message, {
      code: 'BLOCK_STORAGE_DRIVER_ERROR',
      type: 'VolumeBackendAPIException',
      ...options,
    });
    this.retryable = options.retryable ?? false;
  }
}

/** The backend has no room for the request (the scheduler's figures were stale). Not retryable here. */
export class VolumeBackendFull extends VolumeDriverError {
  constructor(
    readonly neededGb: number,
    readonly freeGb: number,
  ) {
    super(`Insufficient free space on the backend: needs ${neededGb} GB, ${freeGb} GB free.`, {
      code: 'BLOCK_STORAGE_BACKEND_FULL',
      type: 'VolumeSizeExceedsAvailableQuota',
    });
  }
}

/** The volume (or snapshot) the call names does not exist on the backend. */
export class VolumeNotFoundOnBackend extends VolumeDriverError {
  constructor(readonly resourceId: string) {
    super(`Volume or snapshot ${resourceId} could not be found on the backend.`, {
      code: 'BLOCK_STORAGE_BACKEND_VOLUME_NOT_FOUND',
      type: 'VolumeNotFound',
    });
  }
}

/**
 * The image's bytes are not what its `disk_format` says (a qcow2 declared raw), or are unsafe
 * (backing file, external data file). The manager reports 400-class `ImageUnacceptable`.
 */
export class ImageFormatMismatch extends BadRequestError {
  constructor(
    readonly declared: string,
    readonly reason: string,
  ) {
    super(`Image is unacceptable: ${reason}`, {
      code: 'BLOCK_STORAGE_IMAGE_UNACCEPTABLE',
      type: 'ImageUnacceptable',
    });
  }
}

/** The driver does not implement this operation (the manager answers 501 or falls back). */
export class DriverNotSupported extends NotImplementedError {
  constructor(
    readonly driver: string,
    readonly operation: string,
  ) {
    super(`The ${driver} volume driver does not support ${operation}.`, {
      code: 'BLOCK_STORAGE_DRIVER_NOT_SUPPORTED',
      type: 'NotSupportedOperation',
    });
  }
}

/** A `manage` reference that names nothing the backend holds, or something it must not adopt. */
export class ManageExistingInvalidReference extends BadRequestError {
  constructor(
    readonly reference: Record<string, unknown>,
    readonly reason: string,
  ) {
    super(
      `Manage existing volume failed due to invalid backend reference ${JSON.stringify(reference)}: ${reason}`,
      {
        code: 'BLOCK_STORAGE_MANAGE_INVALID_REFERENCE',
        type: 'ManageExistingInvalidReference',
      },
    );
  }
}

/** A snapshot still has volumes depending on it, or a volume has snapshots, on this backend. */
export class VolumeBackendBusy extends VolumeDriverError {
  constructor(message: string) {
    super(message, { code: 'BLOCK_STORAGE_BACKEND_BUSY', type: 'VolumeIsBusy', retryable: true });
  }
}

/** A backup or restore failed: a missing/corrupt object, a checksum mismatch, an unreadable source. */
export class BackupDriverError extends NimbusError {
  readonly retryable: boolean;

  constructor(message: string, options: NimbusErrorOptions & { retryable?: boolean } = {}) {
    super('internal', message, {
      code: 'BLOCK_STORAGE_BACKUP_DRIVER_ERROR',
      type: 'BackupDriverException',
      ...options,
    });
    this.retryable = options.retryable ?? false;
  }
}
