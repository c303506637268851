import type { ObjectStoreClient } from '@nimbus/clients';

export { BackupDriverError } from '../drivers/driver-errors';

/**
 * What a backup driver knows of a backup: the manager's row. `container` and `serviceMetadata`
 * are what the driver's own `backup()` answered (for the object-store driver: the container and
 * the object prefix `volume_<vol>/<timestamp>/az_<az>_backup_<id>`).
 */
export interface BackupRecord {
  id: string;
  volumeId: string;
  /** Requested container (backup create's `container`); the driver's default when absent. */
  container?: string | null;
  serviceMetadata?: string | null;
  /** The volume's availability zone (part of upstream's object names). */
  availabilityZone?: string;
  /** Bytes of the volume when it was backed up. */
  sizeBytes?: number;
  /** The backup this one is incremental to, when it is. */
  parentId?: string | null;
  /** Name, description and creation time, copied into the `_metadata` object as upstream does. */
  name?: string | null;
  description?: string | null;
  createdAt?: string;
}

/** A raw file or block device to read (backup) or write (restore), of `sizeBytes`. */
export interface RawTarget {
  path: string;
  sizeBytes: number;
}

/** Bytes done out of the total, reported as the work goes (at least once per object). */
export type BackupProgress = (doneBytes: number, totalBytes: number) => void;

/** A backup to take. */
export interface BackupRequest {
  /** `parent` present = incremental: only blocks that differ from the parent's are stored. */
  backup: BackupRecord & { parent?: BackupRecord };
  source: RawTarget;
  onProgress?: BackupProgress;
  /** Object storage acting for the user's token (the object-store driver needs it). */
  objectStore?: ObjectStoreClient;
  signal?: AbortSignal;
}

/** What the manager stores on the backup row. */
export interface BackupResult {
  container: string;
  serviceMetadata: string;
  objectCount: number;
  /** Bytes of volume the backup covers (the volume's size). */
  sizeBytes: number;
}

/** A restore: `chain` is every backup from the full one to `backup`, oldest first (just `[backup]` for a full). */
export interface RestoreRequest {
  backup: BackupRecord;
  chain: BackupRecord[];
  target: RawTarget;
  onProgress?: BackupProgress;
  objectStore?: ObjectStoreClient;
  signal?: AbortSignal;
}

/** A backup to remove: its own objects only (a parent stays whole). */
export interface DeleteBackupRequest {
  backup: BackupRecord;
  objectStore?: ObjectStoreClient;
}

/**
 * The backup driver contract. Only the `block-storage-backup` role calls it, outside any
 * transaction; calls take as long as the data takes. Never touches the database. `delete` of a
 * missing backup succeeds. Throws `BackupDriverError` on failure (missing object, SHA-256
 * mismatch on restore, an unreachable store with `retryable`).
 */
export interface BackupDriver {
  /** `object-store` (Swift), `posix`. */
  readonly name: string;
  /** Check configuration (the posix directory is writable...). Throwing keeps the backup service down. */
  init(): Promise<void>;
  backup(request: BackupRequest): Promise<BackupResult>;
  restore(request: RestoreRequest): Promise<void>;
  delete(request: DeleteBackupRequest): Promise<void>;
}

/** Options of the `[DEFAULT]` backup keys, Cinder's names. */
export interface BackupDriverOptions {
  /** object-store: default container (Cinder `backup_swift_container`, `volumebackups`). */
  backup_swift_container?: string;
  /** object-store: bytes per chunk object (Cinder `backup_swift_object_size`, 52428800). */
  backup_swift_object_size?: number;
  /** object-store/posix: bytes per SHA-256 block, the incremental unit (`backup_swift_block_size` / `backup_sha_block_size_bytes`, 32768). */
  backup_swift_block_size?: number;
  /** posix: directory of backups (Cinder `backup_posix_path`, default `<data_dir>/block-storage/backups`). */
  backup_posix_path?: string;
  /** posix: bytes per chunk file (Cinder `backup_file_size`, 1999994880). */
  backup_file_size?: number;
  /** posix: `backup_sha_block_size_bytes` (32768). */
  backup_sha_block_size_bytes?: number;
  /** `none` or `zlib` (Cinder `backup_compression_algorithm`, default `zlib`). */
  backup_compression_algorithm?: 'none' | 'zlib';
}

/** What a backup driver factory is given. */
export interface BackupDriverContext {
  /** The backup role's host. */
  host: string;
  dataDir: string;
  options: BackupDriverOptions;
}

/** Makes a backup driver from the options. */
export type BackupDriverFactory = (context: BackupDriverContext) => BackupDriver;
