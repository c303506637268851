import { randomUUID } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { DiskIo } from '@nimbus/disk-faults';
import { type Logger, silentLogger } from '@nimbus/logging';
import { DiskWriter } from './disk-writer';
import { CorruptMetadata, type MetadataIo, type ObjectMetadata } from './metadata-io';
import { isGone, isXattrUnsupported, UnreadableObject } from './unreadable-object';

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
 * Throws UnreadableObject when a data file's metadata lacks what every PUT stores (its name and
 * a whole-number Content-Length) or holds an X-Delete-At that is not a number, as upstream
 * quarantines such files.
 */
function checkDataMetadata(path: string, meta: ObjectMetadata): void {
  if (typeof meta.name !== 'string') throw new UnreadableObject(path, 'missing name metadata');
  const length = meta['Content-Length'];
  if (length === undefined || !/^\d+$/.test(length))
    throw new UnreadableObject(path, `bad metadata content-length value ${length ?? '(none)'}`);
  const deleteAt = meta['X-Delete-At'];
  if (deleteAt !== undefined && !/^\d+(\.\d+)?$/.test(deleteAt))
    throw new UnreadableObject(path, `bad metadata x-delete-at value ${deleteAt}`);
}

/**
 * The object files of the devices under one root: `<device>/objects/<part>/<suffix>/<hash>/` holds
 * `<timestamp>.data`, `.meta` and `.ts` files with metadata beside them, written by rename into
 * place after fsync so readers see all of an object or none of it.
 */
export class ObjectDisk {
  /** Tmp directories known to exist (a failed device's is forgotten when its writes fail). */
  readonly tmpDirs = new Set<string>();

  /** The file system calls of this disk and its writers (the metadata's own). */
  readonly io: DiskIo;

  constructor(
    readonly root: string,
    readonly meta: MetadataIo,
    readonly fsync = true,
    /** Where failures that do not fail the request (a cleanup, an abort) are logged. */
    readonly log: Logger = silentLogger(),
  ) {
    this.io = meta.io;
  }

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
      ok = this.io.statSync(join(this.root, device)).isDirectory();
    } catch {
      // Not there (or not readable): not mounted.
    }
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

  /** The directory's entries, sidecars left out; none when it is not there. Throws other I/O errors. */
  listDir(dir: string): string[] {
    // A new object's directory is not there: asking first is cheaper than the error readdir throws.
    if (!this.io.existsSync(dir)) return [];
    try {
      return this.io.readdirSync(dir).filter((n) => !this.meta.isSidecar(n));
    } catch (err) {
      if (isGone(err)) return [];
      throw err;
    }
  }

  /**
   * Reads an object's state (synchronously: a directory listing and one or two attribute reads).
   * Throws UnreadableObject when a winning file's metadata cannot be read or decoded (quarantine
   * the directory), and the file system's error when the directory cannot be listed or the
   * filesystem keeps no extended attributes (ENOTSUP).
   */
  read(dir: string): ObjectState {
    // A newer write's cleanup may remove a file between the listing and its metadata read: list again.
    for (let attempt = 1; ; attempt++) {
      try {
        return this.readOnce(dir);
      } catch (err) {
        if (!isGone(err) || attempt === 3) throw err;
      }
    }
  }

  private readOnce(dir: string): ObjectState {
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
      state.metadata = this.readMetadata(join(dir, name));
      if (e === '.data') {
        state.dataPath = join(dir, name);
        checkDataMetadata(state.dataPath, state.metadata);
      }
    }
    if (state.status === 'present' && state.metaTimestamp) {
      const newer = this.readMetadata(join(dir, `${state.metaTimestamp}.meta`));
      const merged: ObjectMetadata = {};
      for (const [k, v] of Object.entries(state.metadata))
        if (!isPostable(k) || k.toLowerCase() === 'content-type') merged[k] = v;
      for (const [k, v] of Object.entries(newer)) if (isPostable(k)) merged[k] = v;
      merged['X-Timestamp'] = state.metaTimestamp;
      state.metadata = merged;
    }
    return state;
  }

  /**
   * A file's metadata. Throws UnreadableObject when it cannot be read or decoded, or none is
   * stored; ENOENT when the file is gone (a race with a cleanup); ENOTSUP as the filesystem says.
   */
  private readMetadata(path: string): ObjectMetadata {
    let meta: ObjectMetadata | undefined;
    try {
      meta = this.meta.read(path);
    } catch (err) {
      if (isGone(err) || isXattrUnsupported(err)) throw err;
      const reason =
        err instanceof CorruptMetadata ? err.message : `metadata unreadable: ${(err as Error).message}`;
      throw new UnreadableObject(path, reason, { cause: err });
    }
    if (meta) return meta;
    if (!this.io.existsSync(path)) {
      const gone: NodeJS.ErrnoException = new Error(`ENOENT: ${path} went away while read`);
      gone.code = 'ENOENT';
      throw gone;
    }
    throw new UnreadableObject(path, 'no metadata stored');
  }

  /**
   * Moves a damaged object's hash directory out of the way, as upstream's `quarantine_renamer`:
   * to `<device>/quarantined/objects/<hash>` (`<hash>-<uuid>` when one is already there), where
   * replication no longer sees it and an operator can look at it. Returns where it went. The
   * caller invalidates the suffix so the replicator puts a good copy back.
   */
  quarantine(dir: string): string {
    const hash = basename(dir);
    const device = basename(dirname(dirname(dirname(dirname(dir)))));
    const target = join(this.root, device, 'quarantined', 'objects');
    this.io.mkdirSync(target, { recursive: true });
    let to = join(target, hash);
    try {
      this.io.renameSync(dir, to);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw err;
      to = `${to}-${randomUUID().replace(/-/g, '')}`;
      this.io.renameSync(dir, to);
    }
    return to;
  }

  /** Starts writing a new file on a device; commit it into a hash directory when complete. */
  async createWriter(device: string): Promise<DiskWriter> {
    const tmpDir = join(this.root, device, 'tmp');
    if (!this.tmpDirs.has(tmpDir)) {
      await this.io.mkdir(tmpDir, { recursive: true });
      this.tmpDirs.add(tmpDir);
    }
    try {
      return new DiskWriter(this, join(tmpDir, randomUUID()));
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
        this.io.rmdirSync(dir);
      } catch (err) {
        // Gone already, or a write put a file in meanwhile: both fine.
        const code = (err as NodeJS.ErrnoException).code;
        if (!isGone(err) && code !== 'ENOTEMPTY' && code !== 'EEXIST')
          this.log.warn({ err, dir }, 'could not remove an empty object directory');
      }
    }
    return remaining;
  }

  /**
   * After a write: removes what the new file made obsolete (as `cleanup`, without reclaiming
   * tombstones), on the thread pool, so removing a large old replica does not stall the event loop.
   */
  async prune(dir: string): Promise<void> {
    const names = this.listDir(dir);
    const { keep } = winningFiles(names);
    await Promise.all(
      names
        .filter((n) => !keep.includes(n))
        .map((n) =>
          this.meta.removeAsync(join(dir, n)).catch((err: unknown) => this.removeFailed(err, join(dir, n))),
        ),
    );
  }

  private tryRemove(path: string): void {
    try {
      this.meta.remove(path);
    } catch (err) {
      this.removeFailed(err, path);
    }
  }

  /** An obsolete file that stays: harmless to readers (it loses), logged so a failing disk shows. */
  private removeFailed(err: unknown, path: string): void {
    if (!isGone(err)) this.log.warn({ err, path }, 'could not remove an obsolete object file');
  }
}
