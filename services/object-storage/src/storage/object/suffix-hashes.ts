import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { ObjectDisk } from './disk-file';

export type SuffixHashes = Record<string, string>;

function mtimeOf(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function sameHashes(a: SuffixHashes, b: SuffixHashes): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * Per-partition hashes of each suffix directory, which replicators compare instead of listing
 * files: `hashes.json` holds the last computed values and `hashes.invalid` the suffixes written
 * since, so a pass over an unchanged partition reads two small files and hashes nothing.
 */
export class SuffixHashIndex {
  constructor(
    private readonly disk: ObjectDisk,
    private readonly reclaimAgeSeconds: number,
  ) {}

  partDir(device: string, part: number | string): string {
    return join(this.disk.root, device, 'objects', String(part));
  }

  /** Records that a suffix changed (one append, no fsync: a lost line only costs a recompute). */
  invalidate(device: string, part: number | string, suffix: string): void {
    const dir = this.partDir(device, part);
    this.cache.delete(dir);
    this.bump(device, part);
    try {
      appendFileSync(join(dir, 'hashes.invalid'), `${suffix}\n`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      mkdirSync(dir, { recursive: true });
      appendFileSync(join(dir, 'hashes.invalid'), `${suffix}\n`);
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
      ino = statSync(join(this.disk.root, device), { bigint: true }).ino;
    } catch {}
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
    if (cached && recalculate.length === 0) return { ...cached.hashes };
    const hashes = this.compute(dir, recalculate);
    if (cached && !sameHashes(cached.hashes, hashes)) this.bump(device, part);
    if (this.cache.size > 100_000) this.cache.clear();
    const mtime = mtimeOf(join(dir, 'hashes.json'));
    if (mtime !== undefined) this.cache.set(dir, { hashes, mtime });
    return { ...hashes };
  }

  /** Forgets a partition removed from this device. */
  forget(device: string, part: number | string): void {
    this.cache.delete(this.partDir(device, part));
    this.bump(device, part);
  }

  private compute(dir: string, recalculate: readonly string[]): SuffixHashes {
    let hashes: SuffixHashes | undefined;
    try {
      hashes = JSON.parse(readFileSync(join(dir, 'hashes.json'), 'utf8')) as SuffixHashes;
    } catch {}
    const stale = new Set(recalculate);
    const claimed = join(dir, `hashes.invalid.${process.pid}`);
    try {
      renameSync(join(dir, 'hashes.invalid'), claimed);
      for (const s of readFileSync(claimed, 'utf8').split('\n')) if (s) stale.add(s);
      unlinkSync(claimed);
    } catch {}
    let suffixes: string[];
    if (!hashes) {
      hashes = {};
      try {
        suffixes = readdirSync(dir).filter((n) => /^[0-9a-f]{3}$/.test(n));
      } catch {
        return {};
      }
      for (const s of suffixes) stale.add(s);
    }
    if (stale.size === 0) return hashes;
    const reclaimBefore = Date.now() / 1000 - this.reclaimAgeSeconds;
    for (const suffix of stale) {
      const h = this.hashSuffix(join(dir, suffix), reclaimBefore);
      if (h) hashes[suffix] = h;
      else delete hashes[suffix];
    }
    try {
      writeFileSync(join(dir, 'hashes.json.tmp'), JSON.stringify(hashes));
      renameSync(join(dir, 'hashes.json.tmp'), join(dir, 'hashes.json'));
    } catch {}
    return hashes;
  }

  /** Cleans each object directory of a suffix and hashes what remains; undefined when empty. */
  private hashSuffix(suffixDir: string, reclaimBefore: number): string | undefined {
    let objects: string[];
    try {
      objects = readdirSync(suffixDir).sort();
    } catch {
      return undefined;
    }
    const md5 = createHash('md5');
    let any = false;
    for (const hash of objects) {
      const files = this.disk.cleanup(join(suffixDir, hash), reclaimBefore);
      if (files.length === 0) continue;
      any = true;
      md5.update(`${hash}:${[...files].sort().join(',')};`);
    }
    if (!any) {
      try {
        rmdirSync(suffixDir);
      } catch {}
      return undefined;
    }
    return md5.digest('hex');
  }
}
