import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { MetadataIo, ObjectMetadata } from './metadata-io';

/** Uploads reach the disk in writes of at least this many bytes. */
const WRITE_BATCH = 1024 * 1024;
/** Bytes an upload may have waiting for the disk before `write` holds the caller back. */
const MAX_PENDING = 8 * 1024 * 1024;
/** Data written between two fdatasyncs of a large upload. */
const SYNC_EVERY = 32 * 1024 * 1024;

/** What a hash directory holds once obsolete files are ignored. */
export interface ObjectState {
  /** `present`: a .data file wins; `deleted`: a tombstone wins; `missing`: nothing there. */
  status: 'present' | 'deleted' | 'missing';
  /** Timestamp of the winning .data or .ts file. */
  timestamp?: string;
  /** Timestamp of a newer .meta file, if any. */
  metaTimestamp?: string;
  /** The .data file's metadata, with a newer .meta file's user metadata laid over it. */
  metadata: ObjectMetadata;
  dataPath?: string;
  /** Every file name in the directory, newest first. */
  files: string[];
}

/** Headers a POST may change; the rest of a .data file's metadata is fixed at PUT. */
export function isPostable(key: string): boolean {
  const k = key.toLowerCase();
  return (
    k.startsWith('x-object-meta-') ||
    k.startsWith('x-object-transient-sysmeta-') ||
    k === 'content-disposition' ||
    k === 'content-encoding' ||
    k === 'content-language' ||
    k === 'x-delete-at' ||
    k === 'x-object-manifest' ||
    k === 'x-static-large-object' ||
    k === 'cache-control' ||
    k === 'expires' ||
    k === 'content-type'
  );
}

const fileTimestamp = (name: string) => name.slice(0, name.lastIndexOf('.'));
const ext = (name: string) => name.slice(name.lastIndexOf('.'));

/**
 * The files that matter in a hash directory, newest first: the newest .data or .ts, and the
 * newest .meta newer than that .data. Everything else is obsolete.
 */
export function winningFiles(names: string[]): { keep: string[]; obsolete: string[] } {
  const sorted = names
    .filter((n) => /^\d+\.\d+\.(data|ts|meta)$/.test(n))
    .sort((a, b) => (fileTimestamp(a) < fileTimestamp(b) ? 1 : fileTimestamp(a) > fileTimestamp(b) ? -1 : 0));
  const keep: string[] = [];
  let meta: string | undefined;
  let base: string | undefined;
  for (const n of sorted) {
    const e = ext(n);
    if (e === '.meta') {
      if (!meta && !base) meta = n;
      continue;
    }
    if (!base) base = n;
  }
  if (meta && base && ext(base) === '.data') keep.push(meta);
  if (base) keep.push(base);
  if (!base && meta) keep.push(meta);
  return { keep, obsolete: sorted.filter((n) => !keep.includes(n)) };
}

/**
 * The object files of the devices under one root: `<device>/objects/<part>/<suffix>/<hash>/` holds
 * `<timestamp>.data`, `.meta` and `.ts` files with metadata beside them, written by rename into
 * place after fsync so readers see all of an object or none of it.
 */
export class ObjectDisk {
  /** Tmp directories known to exist (a failed device's is forgotten when its writes fail). */
  readonly tmpDirs = new Set<string>();

  constructor(
    readonly root: string,
    readonly meta: MetadataIo,
    readonly fsync = true,
  ) {}

  private readonly mountChecks = new Map<string, { ok: boolean; at: number }>();

  /**
   * Whether a device is there to write on (upstream's mount check, for directory devices),
   * looked at again at most every 250 ms.
   */
  mounted(device: string): boolean {
    const now = Date.now();
    const hit = this.mountChecks.get(device);
    if (hit && now - hit.at < 250) return hit.ok;
    let ok = false;
    try {
      ok = statSync(join(this.root, device)).isDirectory();
    } catch {}
    this.mountChecks.set(device, { ok, at: now });
    return ok;
  }

  /** Forgets what was seen of a device (tests that fail and restore devices). */
  recheck(): void {
    this.mountChecks.clear();
  }

  hashDir(device: string, part: number | string, hash: string): string {
    return join(this.root, device, 'objects', String(part), hash.slice(-3), hash);
  }

  listDir(dir: string): string[] {
    try {
      return readdirSync(dir).filter((n) => !this.meta.isSidecar(n));
    } catch (err) {
      if (
        (err as NodeJS.ErrnoException).code === 'ENOENT' ||
        (err as NodeJS.ErrnoException).code === 'ENOTDIR'
      )
        return [];
      throw err;
    }
  }

  /** Reads an object's state (synchronously: a directory listing and one or two attribute reads). */
  read(dir: string): ObjectState {
    const names = this.listDir(dir);
    const { keep } = winningFiles(names);
    const state: ObjectState = { status: 'missing', metadata: {}, files: keep };
    for (const name of keep) {
      const e = ext(name);
      if (e === '.meta') {
        state.metaTimestamp = fileTimestamp(name);
        continue;
      }
      state.timestamp = fileTimestamp(name);
      state.status = e === '.data' ? 'present' : 'deleted';
      state.metadata = this.meta.read(join(dir, name)) ?? {};
      if (e === '.data') state.dataPath = join(dir, name);
    }
    if (state.status === 'present' && state.metaTimestamp) {
      const newer = this.meta.read(join(dir, `${state.metaTimestamp}.meta`)) ?? {};
      const merged: ObjectMetadata = {};
      for (const [k, v] of Object.entries(state.metadata))
        if (!isPostable(k) || k.toLowerCase() === 'content-type') merged[k] = v;
      for (const [k, v] of Object.entries(newer)) if (isPostable(k)) merged[k] = v;
      merged['X-Timestamp'] = state.metaTimestamp;
      state.metadata = merged;
    }
    return state;
  }

  /** Starts writing a new file on a device; commit it into a hash directory when complete. */
  async createWriter(device: string): Promise<DiskWriter> {
    const tmpDir = join(this.root, device, 'tmp');
    if (!this.tmpDirs.has(tmpDir)) {
      await mkdir(tmpDir, { recursive: true });
      this.tmpDirs.add(tmpDir);
    }
    const tmp = join(tmpDir, randomBytes(12).toString('hex'));
    try {
      return new DiskWriter(this, tmp, await open(tmp, 'wx', 0o600));
    } catch (err) {
      this.tmpDirs.delete(tmpDir);
      throw err;
    }
  }

  /** Removes obsolete files (and tombstones older than `reclaimBefore`); drops the directory when empty. */
  cleanup(dir: string, reclaimBefore?: number): string[] {
    const names = this.listDir(dir);
    const { keep, obsolete } = winningFiles(names);
    const junk = names.filter((n) => !keep.includes(n) && !obsolete.includes(n));
    for (const n of [...obsolete, ...junk]) this.tryRemove(join(dir, n));
    let remaining = keep;
    if (
      reclaimBefore !== undefined &&
      keep.length === 1 &&
      keep[0]!.endsWith('.ts') &&
      Number(fileTimestamp(keep[0]!)) < reclaimBefore
    ) {
      this.tryRemove(join(dir, keep[0]!));
      remaining = [];
    }
    if (remaining.length === 0) {
      try {
        rmdirSync(dir);
      } catch {}
    }
    return remaining;
  }

  private tryRemove(path: string): void {
    try {
      this.meta.remove(path);
    } catch {}
  }
}

/** A file being written in a device's tmp directory. */
export class DiskWriter {
  private closed = false;

  constructor(
    private readonly disk: ObjectDisk,
    readonly tmpPath: string,
    private readonly fh: FileHandle,
  ) {}

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

  /**
   * Takes the next chunk of the file. Chunks are written in batches of at least 1 MiB (a socket
   * hands over 64 KiB at a time) by one write at a time in the background: while it runs the
   * next batch fills, and this resolves at once unless 8 MiB are already waiting, so a write
   * that stalls a moment (the disk busy with a sync) does not stall the upload. Every 32 MiB an
   * fdatasync starts in the background too (upstream's `mb_per_sync`, not waited for), so the
   * disk writes the object back while it arrives and the final sync in `commit` is short.
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
      const { bytesWritten } = await this.fh.writev(buffers, this.position + written);
      written += bytesWritten;
      if (written < total) buffers = [Buffer.concat(buffers).subarray(bytesWritten)];
    }
    this.position += total;
    this.unsynced += total;
    if (this.disk.fsync && this.unsynced >= SYNC_EVERY) {
      this.unsynced = 0;
      // At most one sync at a time: at most two intervals of this upload wait in the page cache.
      await this.syncing;
      this.syncing = this.fh.datasync();
      // Awaited by the next sync or commit; meanwhile a failure must not go unhandled.
      this.syncing.catch(() => {});
    }
  }

  /**
   * Makes the file durable and puts it in place as `<dir>/<name>`: fsync the data, write the
   * metadata, rename into the hash directory, fsync the directory, then drop obsolete files.
   */
  async commit(dir: string, name: string, metadata: ObjectMetadata): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure) throw this.failure;
    await this.flush();
    await this.syncing;
    if (this.disk.fsync) await this.fh.datasync();
    await this.fh.close();
    this.closed = true;
    this.disk.meta.write(this.tmpPath, metadata);
    try {
      this.disk.meta.rename(this.tmpPath, join(dir, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      mkdirSync(dir, { recursive: true });
      this.disk.meta.rename(this.tmpPath, join(dir, name));
    }
    if (this.disk.fsync) {
      const d = await open(dir, 'r');
      try {
        await d.sync();
      } finally {
        await d.close();
      }
    }
    this.disk.cleanup(dir);
  }

  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      // No write starts after this; the one under way and a sync finish before the close.
      this.failure ??= new Error('upload aborted');
      while (this.writing) await this.writing;
      await this.syncing?.catch(() => {});
      await this.fh.close().catch(() => {});
    }
    try {
      this.disk.meta.remove(this.tmpPath);
    } catch {}
  }
}
