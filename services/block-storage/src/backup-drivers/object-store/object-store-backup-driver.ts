import { ObjectStoreClient } from '@nimbus/clients';
import { type BackupDriverContext, BackupDriverError, type BackupRecord } from '../backup-driver-api';
import { ChunkedBackupDriver } from '../chunked/chunked-backup-driver';
import type { ChunkStore } from '../chunked/chunk-store';
import { ObjectStoreChunkStore } from './object-store-chunk-store';

/** `YYYYMMDDHHMMSS` in UTC, as upstream stamps object prefixes. */
const stamp = (at: Date) => at.toISOString().replace(/[-:T]/g, '').slice(0, 14);

/**
 * Backups to object storage, laid out as upstream's Swift backup driver lays them out: in
 * container `backup_swift_container` (`volumebackups`) unless the request names one, objects
 * `volume_<volume>/<YYYYMMDDHHMMSS>/az_<az>_backup_<backup>-00001`… of `backup_swift_object_size`
 * bytes, with `_metadata` and `_sha256file` objects. Every call goes through the
 * `ObjectStoreClient` the caller passes, acting for the user whose backup it is.
 */
export class ObjectStoreBackupDriver extends ChunkedBackupDriver {
  readonly name = 'object-store';

  constructor(context: BackupDriverContext) {
    const o = context.options;
    super({
      chunkSizeBytes: o.backup_swift_object_size ?? 52428800,
      shaBlockSizeBytes: o.backup_swift_block_size ?? 32768,
      compression: o.backup_compression_algorithm ?? 'zlib',
      defaultContainer: () => o.backup_swift_container ?? 'volumebackups',
      prefix: (b: BackupRecord) =>
        `volume_${b.volumeId}/${stamp(new Date())}/az_${b.availabilityZone ?? 'nova'}_backup_${b.id}`,
    });
  }

  async init(): Promise<void> {}

  protected storeFor(request: { objectStore?: unknown }): ChunkStore {
    if (!(request.objectStore instanceof ObjectStoreClient))
      throw new BackupDriverError(
        'The object-store backup driver needs an object storage client for the request.',
      );
    return new ObjectStoreChunkStore(request.objectStore);
  }
}
