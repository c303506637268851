import { createReadStream, createWriteStream, fdatasync } from 'node:fs';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type DiskIo, nodeDiskIo } from '@nimbus/disk-faults';
import { dropFromPageCache } from '@nimbus/service';
import { DATA_CHUNK, type ImageStore, type StoredData, StoreNotFound } from './store-api';

/** Bytes written between two background fdatasyncs of an image being stored. */
const SYNC_EVERY = 32 * 1024 * 1024;

/**
 * The `file` store: one file per image under a directory, written to a temporary name and
 * renamed into place once complete, so a failed or cut upload never leaves a partial image.
 * The data is on disk before the image can turn active: the file is flushed before it is
 * closed, and every 32 MiB a background fdatasync writes back what has arrived so far, so the
 * disk works while the upload goes on and the final flush is short. Synced data leaves the page
 * cache (as upstream Swift's object server does), so storing images does not evict what readers
 * use, and new data lands in pages just freed. Directory and file calls go through `io` (the
 * streams of the data itself are node's own).
 */
export class FileStore implements ImageStore {
  readonly type = 'file';

  constructor(
    readonly id: string,
    private readonly directory: string,
    private readonly io: DiskIo = nodeDiskIo,
  ) {}

  properties(): Record<string, unknown> {
    return { data_dir: this.directory, chunk_size: 65536, thin_provisioning: false };
  }

  async add(imageId: string, data: Readable): Promise<StoredData> {
    await this.io.mkdir(this.directory, { recursive: true, mode: 0o750 });
    const final = join(this.directory, imageId);
    const partial = `${final}.partial`;
    const out = createWriteStream(partial, { mode: 0o640, flush: true, highWaterMark: DATA_CHUNK });
    let fd: number | undefined;
    out.once('open', (opened: number) => {
      fd = opened;
    });
    let unsynced = 0;
    let written = 0;
    let syncing: Promise<void> | undefined;
    const syncer = new Transform({
      highWaterMark: DATA_CHUNK,
      transform(chunk: Buffer, _enc, done) {
        unsynced += chunk.length;
        if (unsynced >= SYNC_EVERY && !syncing && fd !== undefined) {
          unsynced = 0;
          const on = fd;
          // What is handed on from here may not be written yet: drop only what came before.
          const synced = written;
          syncing = new Promise<void>((resolve) =>
            fdatasync(on, (err) => {
              if (!err) dropFromPageCache(on, 0, synced);
              resolve();
            }),
          ).then(() => {
            syncing = undefined;
          });
        }
        written += chunk.length;
        done(null, chunk);
      },
      // The file must stay open until a sync under way is done (the stream closes it after this).
      flush(done) {
        void (syncing ?? Promise.resolve()).then(() => done());
      },
    });
    try {
      await pipeline(data, syncer, out);
      await this.io.rename(partial, final);
      dropAll(this.io, final);
    } catch (err) {
      // A source that fails at once can reject the pipeline before the file is even opened:
      // wait until the stream has closed (and so created the file) before removing it.
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      try {
        await this.io.rm(partial, { force: true });
      } catch (rmErr) {
        // Both matter: the upload's failure (what the caller answers) and the file left behind.
        throw new AggregateError(
          [err, rmErr],
          `storing image ${imageId} failed and ${partial} is left behind`,
          {
            cause: err,
          },
        );
      }
      throw err;
    }
    return { location: pathToFileURL(final).href, size: (await this.io.stat(final)).size };
  }

  async get(location: string, range?: { start: number; end: number }): Promise<Readable> {
    const path = fileURLToPath(location);
    let advice: number;
    try {
      advice = this.io.openSync(path, 'r');
    } catch (err) {
      // Only a file that is not there is "no data"; one that cannot be read is the store failing.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StoreNotFound(`no data at ${location}`);
      throw err;
    }
    if (!range) return dropBehind(this.io, path, advice);
    this.io.closeSync(advice);
    return createReadStream(path, { highWaterMark: DATA_CHUNK, start: range.start, end: range.end - 1 });
  }

  async delete(location: string): Promise<void> {
    await this.io.rm(fileURLToPath(location), { force: true });
  }
}

/**
 * A whole image read back, its pages taken out of the page cache every 32 MiB once read: an
 * image streams out once per reader, and the read-ahead then reuses the pages just freed (see
 * `add`). Ranges (small, and read again) keep theirs. The pages are dropped through a descriptor
 * of its own (the advice applies to the file, whichever descriptor gives it), so the read
 * stream's own stays the stream's to close.
 */
function dropBehind(io: DiskIo, path: string, advice: number): Readable {
  let open = true;
  const close = () => {
    if (open) io.closeSync(advice);
    open = false;
  };
  let read = 0;
  let kept = 0;
  const out = new Transform({
    highWaterMark: DATA_CHUNK,
    transform(chunk: Buffer, _enc, done) {
      read += chunk.length;
      kept += chunk.length;
      if (kept >= SYNC_EVERY) {
        dropFromPageCache(advice, 0, read);
        kept = 0;
      }
      done(null, chunk);
    },
    flush(done) {
      dropFromPageCache(advice);
      close();
      done();
    },
    destroy(err, done) {
      close();
      done(err);
    },
  });
  // A read error destroys `out` with it, which is how the reader hears of it: nothing to do here.
  pipeline(createReadStream(path, { highWaterMark: DATA_CHUNK }), out).catch(() => {});
  return out;
}

/** Takes a stored (flushed) file out of the page cache. */
function dropAll(io: DiskIo, path: string): void {
  const fd = io.openSync(path, 'r');
  try {
    dropFromPageCache(fd);
  } finally {
    io.closeSync(fd);
  }
}
