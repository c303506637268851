import { access, constants, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BackupDriverContext, BackupRecord } from '../backup-driver-api';
import { ChunkedBackupDriver } from '../chunked/chunked-backup-driver';
import type { ChunkStore } from '../chunked/chunk-store';
import { PosixChunkStore } from './posix-chunk-store';

const stamp = (at: Date) => at.toISOString().replace(/[-:T]/g, '').slice(0, 14);

/**
 * Backups to a directory (`backup_posix_path`, default `<data_dir>/block-storage/backups`), laid
 * out as upstream's POSIX driver: container `<id[0:2]>/<id[2:4]>/<id>` unless the request names
 * one, files `volume_<volume>_<YYYYMMDDHHMMSS>_backup_<backup>-00001`… of `backup_file_size`
 * bytes, with `_metadata` and `_sha256file` files. Deleting a backup removes its directories.
 */
export class PosixBackupDriver extends ChunkedBackupDriver {
  readonly name = 'posix';
  private readonly store: PosixChunkStore;
  readonly root: string;

  constructor(context: BackupDriverContext) {
    const o = context.options;
    super({
      chunkSizeBytes: o.backup_file_size ?? 61035 * 32768,
      shaBlockSizeBytes: o.backup_sha_block_size_bytes ?? 32768,
      compression: o.backup_compression_algorithm ?? 'zlib',
      defaultContainer: (b: BackupRecord) => join(b.id.slice(0, 2), b.id.slice(2, 4), b.id),
      prefix: (b: BackupRecord) => `volume_${b.volumeId}_${stamp(new Date())}_backup_${b.id}`,
    });
    this.root = resolve(o.backup_posix_path ?? join(context.dataDir, 'block-storage', 'backups'));
    this.store = new PosixChunkStore(this.root);
  }

  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await access(this.root, constants.W_OK);
  }

  protected storeFor(): ChunkStore {
    return this.store;
  }
}
