import { dirname, join } from 'node:path';
import { type DiskIo, nodeDiskIo } from '@nimbus/disk-faults';
import { dropFromPageCache } from '@nimbus/service';
import type { ObjectDisk } from './disk-file';
import type { ObjectMetadata } from './metadata-io';

/** Uploads reach the disk in writes of at least this many bytes. */
const WRITE_BATCH = 1024 * 1024;
/** Bytes an upload may have waiting for the disk before `write` holds the caller back. */
const MAX_PENDING = 8 * 1024 * 1024;
/** Data written between two fdatasyncs of a large upload. */
const SYNC_EVERY = 32 * 1024 * 1024;
/** A last batch this small is written at once rather than handed to the thread pool. */
const SMALL_WRITE = 64 * 1024;

function writevAsync(io: DiskIo, fd: number, buffers: Buffer[], at: number): Promise<number> {
  return new Promise((resolve, reject) =>
    io.writev(fd, buffers, at, (err, written) => (err ? reject(err) : resolve(written))),
  );
}

function syncAsync(io: DiskIo, call: 'fsync' | 'fdatasync', fd: number): Promise<void> {
  return new Promise((resolve, reject) => io[call](fd, (err) => (err ? reject(err) : resolve())));
}

/**
 * Makes `<device>/objects/<part>/<suffix>/<hash>` and what is missing of its parents, but never
 * the device's own directory: a device unmounted (or failed) meanwhile is not made again as an
 * empty directory on the root filesystem. Throws ENOENT then. At once, like the other directory
 * entry changes here: on the thread pool each level cost a hand-off to another thread, and a new
 * object often needs two or three levels (measured: 4 KiB PUTs into new directories took 4.0 ms
 * of CPU each instead of 5.7, medians of 7 runs).
 */
export function makeHashDir(dir: string, levels = 4, io: DiskIo = nodeDiskIo): void {
  try {
    io.mkdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || levels <= 1) throw err;
    makeHashDir(dirname(dir), levels - 1, io);
    // Its parent is there now: one level, made or found made meanwhile.
    makeHashDir(dir, 1, io);
  }
}

/**
 * A file being written in a device's tmp directory, then committed into a hash directory.
 *
 * What may wait on the disk (large writes, fdatasync, fsync) runs on the thread pool; what only
 * touches the page cache and the directory entries (open, close, mkdir, a small last write,
 * rename, metadata) runs at once, as upstream's object server does: handing a call of a few
 * microseconds to another thread costs several times the call itself.
 */
export class DiskWriter {
  private closed = false;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private position = 0;
  private unsynced = 0;
  /** The write under way, while the next batch fills. */
  private writing: Promise<void> | undefined;
  /** The periodic fdatasync under way, while later batches are written. */
  private syncing: Promise<void> | undefined;
  /** Why a background write or sync failed; every later call throws it. */
  private failure: unknown;

  /** Creates the file (`O_EXCL`); throws when it cannot. */
  constructor(
    private readonly disk: ObjectDisk,
    readonly tmpPath: string,
    private readonly fd = disk.io.openSync(tmpPath, 'wx', 0o600),
  ) {}

  /**
   * Takes the next chunk of the file. Chunks are written in batches of at least 1 MiB (a socket
   * hands over 64 KiB at a time) by one write at a time in the background: while it runs the
   * next batch fills, and this resolves at once unless 8 MiB are already waiting, so a write
   * that stalls a moment (the disk busy with a sync) does not stall the upload. Every 32 MiB an
   * fdatasync starts in the background too (upstream's `mb_per_sync`, not waited for), so the
   * disk writes the object back while it arrives and the final sync in `commit` is short; the
   * synced pages then leave the page cache (upstream's `drop_buffer_cache`), and so do all of a
   * large object's once committed. Small objects, the ones read again soon, stay cached.
   * Throws when an earlier write or sync failed.
   */
  async write(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.startWrite();
    while (this.writing && this.pendingBytes >= MAX_PENDING) await this.writing;
    if (this.failure) throw this.failure;
  }

  /** Starts writing what is pending, unless a write is under way (it starts the next when done). */
  private startWrite(): void {
    if (this.writing || this.failure || this.pendingBytes < WRITE_BATCH) return;
    this.writing = this.flush().then(
      () => {
        this.writing = undefined;
        this.startWrite();
      },
      (err: unknown) => {
        this.writing = undefined;
        this.failure = err;
      },
    );
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    let buffers = this.pending;
    const total = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    let written = 0;
    while (written < total) {
      const at = this.position + written;
      const n =
        total <= SMALL_WRITE
          ? this.disk.io.writevSync(this.fd, buffers, at)
          : await writevAsync(this.disk.io, this.fd, buffers, at);
      written += n;
      if (written < total) buffers = [Buffer.concat(buffers).subarray(n)];
    }
    this.position += total;
    this.unsynced += total;
    if (this.disk.fsync && this.unsynced >= SYNC_EVERY) {
      this.unsynced = 0;
      // At most one sync at a time: at most two intervals of this upload wait in the page cache.
      await this.syncing;
      const synced = this.position;
      this.syncing = syncAsync(this.disk.io, 'fdatasync', this.fd).then(() => {
        dropFromPageCache(this.fd, 0, synced);
      });
      // Awaited by the next sync or commit; meanwhile a failure must not go unhandled.
      this.syncing.catch(() => {});
    }
  }

  /**
   * Makes the file durable and puts it in place as `<dir>/<name>`: fdatasync the data, write the
   * metadata (and sync it, when a sidecar holds it), rename into the hash directory, fsync the
   * directory, then drop obsolete files (`ObjectDisk.prune`). Resolves once all of that is done.
   */
  async commit(dir: string, name: string, metadata: ObjectMetadata): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure) throw this.failure;
    await this.flush();
    await this.syncing;
    if (this.disk.fsync) {
      await syncAsync(this.disk.io, 'fdatasync', this.fd);
      if (this.position >= SYNC_EVERY) dropFromPageCache(this.fd);
    }
    this.closed = true;
    this.disk.io.closeSync(this.fd);
    this.disk.meta.write(this.tmpPath, metadata);
    if (this.disk.fsync) await this.disk.meta.sync(this.tmpPath);
    for (let attempt = 1; ; attempt++) {
      try {
        this.disk.meta.rename(this.tmpPath, join(dir, name));
        break;
      } catch (err) {
        // No directory yet, or a cleanup found it empty and removed it (the suffix's too) while
        // it was being made: make it, again a few times at most (best effort: the rename says
        // whether it is there).
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw err;
        try {
          makeHashDir(dir, 4, this.disk.io);
        } catch {
          // The rename that follows fails with the cause, or succeeds if another writer made it.
        }
      }
    }
    if (this.disk.fsync) {
      const d = this.disk.io.openSync(dir, 'r');
      try {
        await syncAsync(this.disk.io, 'fsync', d);
      } finally {
        this.disk.io.closeSync(d);
      }
    }
    await this.disk.prune(dir);
  }

  /** Drops the file; waits for a write or sync under way first. */
  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      // No write starts after this; the one under way and a sync finish before the close.
      this.failure ??= new Error('upload aborted');
      while (this.writing) await this.writing;
      // Its failure is the upload's (already answered); the file goes either way.
      await this.syncing?.catch(() => {});
      try {
        this.disk.io.closeSync(this.fd);
      } catch (err) {
        this.disk.log.warn({ err, path: this.tmpPath }, 'could not close an aborted upload');
      }
    }
    try {
      this.disk.meta.remove(this.tmpPath);
    } catch (err) {
      // Left behind it only wastes space; the abort is for a failure already being answered.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        this.disk.log.warn({ err, path: this.tmpPath }, 'could not remove an aborted upload');
    }
  }
}
