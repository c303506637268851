import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ImageStore, type StoredData, StoreNotFound } from './store-api';

/**
 * The `file` store: one file per image under a directory, written to a temporary name and
 * renamed into place once complete, so a failed or cut upload never leaves a partial image.
 */
export class FileStore implements ImageStore {
  readonly type = 'file';

  constructor(
    readonly id: string,
    private readonly directory: string,
  ) {}

  properties(): Record<string, unknown> {
    return { data_dir: this.directory, chunk_size: 65536, thin_provisioning: false };
  }

  async add(imageId: string, data: Readable): Promise<StoredData> {
    await mkdir(this.directory, { recursive: true, mode: 0o750 });
    const final = join(this.directory, imageId);
    const partial = `${final}.partial`;
    const out = createWriteStream(partial, { mode: 0o640 });
    try {
      await pipeline(data, out);
      await rename(partial, final);
    } catch (err) {
      // A source that fails at once can reject the pipeline before the file is even opened:
      // wait until the stream has closed (and so created the file) before removing it.
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      await rm(partial, { force: true });
      throw err;
    }
    return { location: pathToFileURL(final).href, size: (await stat(final)).size };
  }

  async get(location: string, range?: { start: number; end: number }): Promise<Readable> {
    const path = fileURLToPath(location);
    try {
      await stat(path);
    } catch {
      throw new StoreNotFound(`no data at ${location}`);
    }
    return createReadStream(path, range ? { start: range.start, end: range.end - 1 } : {});
  }

  async delete(location: string): Promise<void> {
    await rm(fileURLToPath(location), { force: true });
  }
}
