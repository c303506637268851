import { BlockStorageClient, RemoteServiceError, type ServiceClients } from '@nimbus/clients';
import { NotFoundError } from '@nimbus/errors';
import { InvalidInput } from '../compute-errors';

/**
 * Block storage acting for the caller, at the caller's project: the catalog's URL names the
 * service user's project (`/v3/{project_id}`), which Cinder refuses to a member of another one.
 */
export function volumeClientFor(clients: ServiceClients, projectId: string): BlockStorageClient {
  const source = clients.endpointSource('block-storage');
  return new BlockStorageClient({
    ...source,
    endpoint: async () => (await source.endpoint()).replace(/\/v3\/[^/]+\/?$/, `/v3/${projectId}`),
  });
}

/** A volume Nova could not find (404, upstream's message). */
export class VolumeNotFound extends NotFoundError {
  constructor(volumeId: string) {
    super(`Volume ${volumeId} could not be found.`, { code: 'COMPUTE_VOLUME_NOT_FOUND' });
  }
}

/** A snapshot Nova could not find (404, upstream's message). */
export class SnapshotNotFound extends NotFoundError {
  constructor(snapshotId: string) {
    super(`Snapshot ${snapshotId} could not be found.`, { code: 'COMPUTE_SNAPSHOT_NOT_FOUND' });
  }
}

/**
 * Block storage's refusals as Nova passes them on: a 404 as `notFound()`, a 400 or 409 (volume
 * in the wrong state, multiattach rules) as 400 "Invalid volume: …"; anything else unchanged.
 */
export async function fromCinder<T>(call: Promise<T>, notFound?: () => Error): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof RemoteServiceError) {
      if (err.httpStatus === 404 && notFound) throw notFound();
      if (err.httpStatus === 400 || err.httpStatus === 409)
        throw new InvalidInput(`Invalid volume: ${err.message}`);
    }
    throw err;
  }
}
