import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DiskWriter } from './disk-writer';
import type { MetadataIo, ObjectMetadata } from './metadata-io';

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
    // A new object's directory is not there: asking first is cheaper than the error readdir throws.
    if (!existsSync(dir)) return [];
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
        rmdirSync(dir);
      } catch {}
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
      names.filter((n) => !keep.includes(n)).map((n) => this.meta.removeAsync(join(dir, n)).catch(() => {})),
    );
  }

  private tryRemove(path: string): void {
    try {
      this.meta.remove(path);
    } catch {}
  }
}
