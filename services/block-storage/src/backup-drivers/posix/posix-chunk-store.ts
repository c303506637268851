import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { BackupDriverError } from '../backup-driver-api';
import type { ChunkStore } from '../chunked/chunk-store';

/** Backup objects as files: a container is a directory under the backup path, an object a file in it. */
export class PosixChunkStore implements ChunkStore {
  constructor(private readonly root: string) {}

  async ensureContainer(container: string): Promise<void> {
    await mkdir(this.dir(container), { recursive: true, mode: 0o700 });
  }

  async put(container: string, name: string, data: Buffer): Promise<string> {
    const path = this.file(container, name);
    // Written aside then renamed, so a reader never sees half an object.
    await writeFile(`${path}.part`, data, { mode: 0o600 });
    await rename(`${path}.part`, path);
    return '';
  }

  async get(container: string, name: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.file(container, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async list(container: string, prefix: string): Promise<string[]> {
    try {
      return (await readdir(this.dir(container))).filter((n) => n.startsWith(prefix));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  async delete(container: string, name: string): Promise<void> {
    await rm(this.file(container, name), { force: true });
  }

  /** Removes the container directory and its parents up to the root while they are empty. */
  async containerEmptied(container: string): Promise<void> {
    for (let dir = this.dir(container); dir !== this.root && dir.startsWith(this.root); dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return;
      }
    }
  }

  private dir(container: string): string {
    const dir = resolve(this.root, container);
    const rel = relative(this.root, dir);
    if (!rel || rel.startsWith('..') || rel.startsWith(sep))
      throw new BackupDriverError(`Backup container ${container} is outside the backup path.`);
    return dir;
  }

  private file(container: string, name: string): string {
    if (name.includes('/') || name.startsWith('.'))
      throw new BackupDriverError(`Invalid backup object name ${name}.`);
    return join(this.dir(container), name);
  }
}
