import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { DiskIo } from '@nimbus/disk-faults';
import type { Logger } from '@nimbus/logging';
import type { ObjectDisk } from './disk-file';
import { isGone } from './unreadable-object';

export type SuffixHashes = Record<string, string>;

function sameHashes(a: SuffixHashes, b: SuffixHashes): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * Per-partition hashes of each suffix directory, which replicators compare instead of listing
 * files: `hashes.json` holds the last computed values and `hashes.invalid` the suffixes written
 * since, so a pass over an unchanged partition reads two small files and hashes nothing.
 * When those files cannot be written (a full or failing disk), the suffixes concerned are kept
 * in memory and recalculated at the next `get`, and the failure is logged with its cause: a
 * replicator is never told a partition is unchanged because a write of this index failed.
 */
export class SuffixHashIndex {
  private readonly io: DiskIo;
  private readonly log: Logger;
  /** Suffixes per partition directory whose change could not be recorded in `hashes.invalid`. */
  private readonly unrecorded = new Map<string, Set<string>>();

  constructor(
    private readonly disk: ObjectDisk,
    private readonly reclaimAgeSeconds: number,
  ) {
    this.io = disk.io;
    this.log = disk.log;
  }

  partDir(device: string, part: number | string): string {
    return join(this.disk.root, device, 'objects', String(part));
  }

  /** Records that a suffix changed (one append, no fsync: a lost line only costs a recompute). */
  invalidate(device: string, part: number | string, suffix: string): void {
    const dir = this.partDir(device, part);
    this.cache.delete(dir);
    this.bump(device, part);
    const file = join(dir, 'hashes.invalid');
    try {
      try {
        this.io.appendFileSync(file, `${suffix}\n`);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        this.io.mkdirSync(dir, { recursive: true });
        this.io.appendFileSync(file, `${suffix}\n`);
      }
    } catch (err) {
      // The write that changed the suffix is done: remember the suffix here instead of failing it.
      this.remember(dir, [suffix]);
      this.log.warn({ err, file, suffix }, 'cannot record a changed suffix; it is recalculated from memory');
    }
  }

  private remember(dir: string, suffixes: Iterable<string>): void {
    const set = this.unrecorded.get(dir) ?? new Set<string>();
    this.unrecorded.set(dir, set);
    for (const s of suffixes) set.add(s);
  }

  /** A file's modification time; undefined when it is not there (or cannot be looked at: logged). */
  private mtimeOf(path: string): number | undefined {
    try {
      return this.io.statSync(path).mtimeMs;
    } catch (err) {
      if (!isGone(err)) this.log.warn({ err, path }, 'cannot look at the suffix hashes file');
      return undefined;
    }
  }

  /**
   * Hashes of partitions nothing was written to since they were computed. One process owns a
   * device's object server and daemons, so every write passes through `invalidate` here; the
   * files (`hashes.invalid`) carry the same news across restarts.
   */
  private readonly cache = new Map<string, { hashes: SuffixHashes; mtime: number }>();
  /** Each device directory's inode when last checked: a replaced disk drops its cached hashes. */
  private readonly deviceInodes = new Map<string, bigint>();
  /** Counts changes per partition (`<device>/<part>`) and per device (a swapped disk), for `version`. */
  private readonly partVersions = new Map<string, number>();
  private readonly deviceVersions = new Map<string, number>();

  /**
   * A token that changes whenever a partition's contents may have changed as this process saw it:
   * a write (`invalidate`), a recalculation that found other hashes, the partition's removal, or
   * its device's disk being swapped. Equal tokens mean the suffix hashes are still the same, so a
   * replicator can skip a partition it already found in sync. Tokens live in memory only: after
   * a restart every partition counts as changed once.
   */
  version(device: string, part: number | string): string {
    // A plain key, not a joined path: replicators ask for every partition on every pass.
    return `${this.deviceVersions.get(device) ?? 0}.${this.partVersions.get(`${device}/${part}`) ?? 0}`;
  }

  private bump(device: string, part: number | string): void {
    const key = `${device}/${part}`;
    this.partVersions.set(key, (this.partVersions.get(key) ?? 0) + 1);
  }

  /** Drops a device's cached hashes when its directory is a different one (a swapped disk). */
  checkDevice(device: string): void {
    let ino: bigint | undefined;
    try {
      ino = this.io.statSync(join(this.disk.root, device), { bigint: true }).ino;
    } catch (err) {
      // A device gone counts as swapped; another failure is worth seeing.
      if (!isGone(err)) this.log.warn({ err, device }, 'cannot look at a device directory');
    }
    if (ino !== undefined && this.deviceInodes.get(device) === ino) return;
    if (ino !== undefined) this.deviceInodes.set(device, ino);
    this.deviceVersions.set(device, (this.deviceVersions.get(device) ?? 0) + 1);
    const prefix = join(this.disk.root, device, 'objects');
    for (const dir of this.cache.keys()) if (dir.startsWith(prefix)) this.cache.delete(dir);
  }

  /** The partition's suffix hashes, recomputing invalidated suffixes and those asked for. */
  get(device: string, part: number | string, recalculate: readonly string[] = []): SuffixHashes {
    const dir = this.partDir(device, part);
    const cached = this.cache.get(dir);
    // Valid until a write invalidates it (or the device's disk is swapped: checkDevice).
    if (cached && recalculate.length === 0 && !this.unrecorded.has(dir)) return { ...cached.hashes };
    const hashes = this.compute(dir, recalculate);
    if (cached && !sameHashes(cached.hashes, hashes)) this.bump(device, part);
    if (this.cache.size > 100_000) this.cache.clear();
    const mtime = this.mtimeOf(join(dir, 'hashes.json'));
    if (mtime !== undefined) this.cache.set(dir, { hashes, mtime });
    return { ...hashes };
  }

  /** Forgets a partition removed from this device. */
  forget(device: string, part: number | string): void {
    this.cache.delete(this.partDir(device, part));
    this.unrecorded.delete(this.partDir(device, part));
    this.bump(device, part);
  }

  private compute(dir: string, recalculate: readonly string[]): SuffixHashes {
    let hashes: SuffixHashes | undefined;
    const file = join(dir, 'hashes.json');
    try {
      hashes = JSON.parse(this.io.readFileSync(file, 'utf8')) as SuffixHashes;
    } catch (err) {
      // None yet is the usual case; one that cannot be read or decoded is recalculated whole.
      if (!isGone(err)) this.log.warn({ err, file }, 'cannot read the suffix hashes; recalculating them all');
    }
    const stale = new Set(recalculate);
    const remembered = this.unrecorded.get(dir);
    this.unrecorded.delete(dir);
    for (const s of remembered ?? []) stale.add(s);
    const claimed = join(dir, `hashes.invalid.${process.pid}`);
    let claimedOk = false;
    try {
      this.io.renameSync(join(dir, 'hashes.invalid'), claimed);
      claimedOk = true;
    } catch (err) {
      if (!isGone(err)) {
        this.log.warn({ err, dir }, 'cannot claim the changed suffixes; recalculating them all');
        hashes = undefined;
      }
    }
    if (claimedOk) {
      try {
        for (const s of this.io.readFileSync(claimed, 'utf8').split('\n')) if (s) stale.add(s);
        this.io.unlinkSync(claimed);
      } catch (err) {
        // Which suffixes changed is unknown: all of them are recalculated.
        this.log.warn({ err, file: claimed }, 'cannot read the changed suffixes; recalculating them all');
        hashes = undefined;
      }
    }
    let suffixes: string[];
    if (!hashes) {
      hashes = {};
      try {
        suffixes = this.io.readdirSync(dir).filter((n) => /^[0-9a-f]{3}$/.test(n));
      } catch (err) {
        if (!isGone(err)) {
          this.log.error({ err, dir }, 'cannot list a partition');
          this.remember(dir, stale);
        }
        return {};
      }
      for (const s of suffixes) stale.add(s);
    }
    if (stale.size === 0) return hashes;
    const reclaimBefore = Date.now() / 1000 - this.reclaimAgeSeconds;
    for (const suffix of stale) {
      const h = this.hashSuffix(dir, suffix, reclaimBefore);
      if (h === null) continue;
      if (h) hashes[suffix] = h;
      else delete hashes[suffix];
    }
    try {
      this.io.writeFileSync(join(dir, 'hashes.json.tmp'), JSON.stringify(hashes));
      this.io.renameSync(join(dir, 'hashes.json.tmp'), file);
    } catch (err) {
      // The suffixes claimed above are recorded as changed again (in memory too, should that
      // fail), so they are recalculated next time, by this process or after a restart.
      this.remember(dir, stale);
      let recordErr: unknown;
      try {
        this.io.appendFileSync(join(dir, 'hashes.invalid'), [...stale].map((s) => `${s}\n`).join(''));
      } catch (e) {
        recordErr = e;
      }
      this.log.warn(
        { err, recordErr, file, suffixes: [...stale] },
        recordErr === undefined
          ? 'cannot write the suffix hashes; the changed suffixes stay recorded'
          : 'cannot write the suffix hashes nor record the changed suffixes; they are kept in memory',
      );
    }
    return hashes;
  }

  /**
   * Cleans each object directory of a suffix and hashes what remains: undefined when it is empty
   * (or gone), null when it cannot be listed (logged; the suffix stays to be recalculated).
   */
  private hashSuffix(partDir: string, suffix: string, reclaimBefore: number): string | undefined | null {
    const suffixDir = join(partDir, suffix);
    let objects: string[];
    try {
      objects = this.io.readdirSync(suffixDir).sort();
    } catch (err) {
      if (isGone(err)) return undefined;
      this.log.error({ err, dir: suffixDir }, 'cannot list a suffix; keeping its last hash');
      this.remember(partDir, [suffix]);
      return null;
    }
    const md5 = createHash('md5');
    let any = false;
    for (const hash of objects) {
      let files: string[];
      try {
        files = this.disk.cleanup(join(suffixDir, hash), reclaimBefore);
      } catch (err) {
        this.log.error(
          { err, dir: join(suffixDir, hash) },
          'cannot list an object directory; keeping its suffix hash',
        );
        this.remember(partDir, [suffix]);
        return null;
      }
      if (files.length === 0) continue;
      any = true;
      md5.update(`${hash}:${[...files].sort().join(',')};`);
    }
    if (!any) {
      try {
        this.io.rmdirSync(suffixDir);
      } catch (err) {
        // Gone already, or an object written into it meanwhile: both fine.
        const code = (err as NodeJS.ErrnoException).code;
        if (!isGone(err) && code !== 'ENOTEMPTY' && code !== 'EEXIST')
          this.log.warn({ err, dir: suffixDir }, 'cannot remove an empty suffix directory');
      }
      return undefined;
    }
    return md5.digest('hex');
  }
}
