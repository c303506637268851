import { BadRequestError, ConflictError, NimbusError, NotFoundError } from '@nimbus/errors';

/** Placement's error codes (`errors[].code` from microversion 1.23), as upstream names them. */
export const placementCodes = {
  default: 'placement.undefined_code',
  inventoryInUse: 'placement.inventory.inuse',
  concurrentUpdate: 'placement.concurrent_update',
  duplicateName: 'placement.duplicate_name',
  providerInUse: 'placement.resource_provider.inuse',
  cannotDeleteParent: 'placement.resource_provider.cannot_delete_parent',
  providerNotFound: 'placement.resource_provider.not_found',
  duplicateQueryKey: 'placement.query.duplicate_key',
  queryBadValue: 'placement.query.bad_value',
  queryMissingValue: 'placement.query.missing_value',
} as const;

/** The Placement error code an error carries (its `type`), or the default. */
export function placementCode(err: NimbusError): string {
  return err.type?.startsWith('placement.') ? err.type : placementCodes.default;
}

/** 400 with an optional Placement error code. */
export class PlacementBadRequest extends BadRequestError {
  constructor(message: string, code?: string) {
    super(message, { code: 'PLACEMENT_BAD_REQUEST', ...(code ? { type: code } : {}) });
  }
}

/** 404 with an optional Placement error code. */
export class PlacementNotFound extends NotFoundError {
  constructor(message: string, code?: string) {
    super(message, { code: 'PLACEMENT_NOT_FOUND', ...(code ? { type: code } : {}) });
  }
}

/** 409 with an optional Placement error code. */
export class PlacementConflict extends ConflictError {
  constructor(message: string, code?: string) {
    super(message, { code: 'PLACEMENT_CONFLICT', ...(code ? { type: code } : {}) });
  }
}

/** A generation did not match: someone else wrote first (409 `placement.concurrent_update`). */
export class ConcurrentUpdate extends PlacementConflict {
  constructor(message: string) {
    super(message, placementCodes.concurrentUpdate);
  }
}

/** The provider generation changed under a write; retried internally before it reaches a client. */
export class ProviderGenerationRace extends ConcurrentUpdate {
  constructor(readonly providerUuid: string) {
    super(
      `Another thread concurrently updated the data. Please retry your update resource provider ${providerUuid}`,
    );
  }
}

/** 406 Not Acceptable (Accept or microversion), optionally carrying the supported range. */
export class PlacementNotAcceptable extends NimbusError {
  constructor(
    message: string,
    readonly range?: { min: string; max: string },
  ) {
    super('not_acceptable', message, { code: 'PLACEMENT_NOT_ACCEPTABLE' });
  }
}

/** 415: the body is not application/json. */
export class PlacementUnsupportedMediaType extends NimbusError {
  constructor(message: string) {
    super('unsupported_media_type', message, { code: 'PLACEMENT_UNSUPPORTED_MEDIA_TYPE' });
  }
}

/** 405 with the methods the path allows. */
export class PlacementMethodNotAllowed extends NimbusError {
  constructor(allow: string) {
    super('method_not_allowed', 'The method specified is not allowed for this resource.', {
      code: 'PLACEMENT_METHOD_NOT_ALLOWED',
      headers: { allow },
    });
  }
}
