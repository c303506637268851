import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Inspection, inspect } from '@nimbus/disk-format';
import { VolumeDriverError } from '../driver-api';
import type { VolumeFormat } from './qemu-img-tool';

/** A volume or snapshot file: where it is and how it is stored. */
export interface VolumeFile {
  path: string;
  name: string;
  format: VolumeFormat;
}

const FORMATS: VolumeFormat[] = ['raw', 'qcow2'];
const HEAD_BYTES = 64 * 1024;

/**
 * The file driver's directory: `volume-<id>.<format>` and `snapshot-<id>.<format>` files (the
 * format is in the name, never probed from the bytes a guest wrote), `.staging/` for files being
 * made (renamed into place when whole, so a failed create leaves nothing) and `.exports/` for NBD.
 */
export class VolumeFiles {
  readonly stagingDir: string;
  readonly exportsDir: string;

  constructor(readonly dir: string) {
    this.stagingDir = join(dir, '.staging');
    this.exportsDir = join(dir, '.exports');
  }

  /** Makes the directories and removes what a crash left half-made. */
  async prepare(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await rm(this.stagingDir, { recursive: true, force: true });
    await mkdir(this.stagingDir, { recursive: true });
    await mkdir(this.exportsDir, { recursive: true });
  }

  /** The file of a volume or snapshot, or undefined when it does not exist. */
  async find(kind: 'volume' | 'snapshot', id: string): Promise<VolumeFile | undefined> {
    checkId(id);
    for (const format of FORMATS) {
      const name = `${kind}-${id}.${format}`;
      const path = join(this.dir, name);
      if (await exists(path)) return { path, name, format };
    }
    return undefined;
  }

  /** Where a new volume or snapshot file goes. */
  target(kind: 'volume' | 'snapshot', id: string, format: VolumeFormat): VolumeFile {
    checkId(id);
    const name = `${kind}-${id}.${format}`;
    return { path: join(this.dir, name), name, format };
  }

  /** A fresh path in the staging directory. */
  staging(label: string): string {
    return join(this.stagingDir, `${label}-${randomUUID()}`);
  }

  /**
   * Makes `target` through `make(tmp)` in staging, then renames it into place (replacing what is
   * there). Whatever fails, the staging file is removed.
   */
  async produce(target: VolumeFile, make: (tmp: string) => Promise<void>): Promise<void> {
    const tmp = this.staging(target.name);
    try {
      await make(tmp);
      await rename(tmp, target.path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /** Names of every file the directory holds, hidden ones excepted. */
  async names(): Promise<string[]> {
    return (await readdir(this.dir)).filter((n) => !n.startsWith('.'));
  }

  /** Bytes a guest sees in `path`: the file size for raw, the header's size for qcow2. */
  async virtualSize(path: string, format: VolumeFormat): Promise<number> {
    if (format === 'raw') return (await stat(path)).size;
    return (await this.inspect(path)).virtualSize ?? 0;
  }

  /** The format inspection of a file (its header, footer and size). */
  async inspect(path: string): Promise<Inspection> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
      await handle.read(head, 0, head.length, 0);
      const tail = Buffer.alloc(Math.min(512, size));
      await handle.read(tail, 0, tail.length, size - tail.length);
      return inspect(head, tail, size);
    } finally {
      await handle.close();
    }
  }

  /** A new sparse file of `sizeBytes` (a raw volume: reads as zeros, takes no blocks). */
  async sparse(path: string, sizeBytes: number): Promise<void> {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.truncate(sizeBytes);
    } finally {
      await handle.close();
    }
  }

  async move(from: string, to: string): Promise<void> {
    await rename(from, to);
  }
}

/** Ids become file names: one that could leave the directory is a caller's bug. */
function checkId(id: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(id))
    throw new VolumeDriverError(`Invalid volume or snapshot id ${JSON.stringify(id)}.`);
}

/** True when `path` exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
