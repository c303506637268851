import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { DATA_CHUNK } from '../drivers/store/store-api';

/** One cached image as `GET /v2/cache` lists it (times in seconds since the epoch). */
export interface CachedImage {
  image_id: string;
  hits: number;
  last_accessed: number;
  last_modified: number;
  size: number;
}

/** Cache limits (Glance's `image_cache_max_size` and `image_cache_stall_time`). */
export interface CacheLimits {
  maxBytes: number;
  stallSeconds: number;
}

/** What the cache records of an image when it fills: the bytes and the MD5 the copy must have. */
export interface CacheSource {
  id: string;
  size: number | null;
  checksum: string | null;
}

interface Meta {
  hits: number;
  last_accessed: number;
}

const now = () => Date.now() / 1000;
const isImageId = (name: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(name);

/**
 * The image cache of this API node (Glance's): whole images kept as local files under the cache
 * directory, so later downloads do not reach the store. A download fills the cache as it streams
 * (into `incomplete/`, moved into place only when the size and MD5 match the image's); the
 * queue (`queue/`, one empty file per image, oldest first) lists images to fetch ahead of use.
 * Hits and last access sit in a small JSON file beside each image. Past `maxBytes`, the least
 * recently used images go; partial files older than `stallSeconds` are cleaned away.
 */
export class ImageCache {
  private readonly filling = new Set<string>();

  constructor(
    readonly directory: string,
    private readonly limits: CacheLimits,
  ) {}

  async init(): Promise<void> {
    for (const sub of ['', 'incomplete', 'queue', 'meta'])
      await mkdir(join(this.directory, sub), { recursive: true, mode: 0o750 });
  }

  /** The cached copy of an image, counting a hit; undefined when not cached. */
  async open(id: string, range?: { start: number; end: number }): Promise<Readable | undefined> {
    if (!(await this.isCached(id))) return undefined;
    const meta = await this.meta(id);
    await this.writeMeta(id, { hits: meta.hits + 1, last_accessed: now() });
    return createReadStream(this.path(id), {
      highWaterMark: DATA_CHUNK,
      ...(range ? { start: range.start, end: range.end - 1 } : {}),
    });
  }

  async isCached(id: string): Promise<boolean> {
    if (!isImageId(id)) return false;
    return stat(this.path(id)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  /**
   * Streams `data` through to the caller while writing it into the cache; the copy is kept only
   * when the whole image arrived with the expected size and MD5. A second fill of the same image
   * while one is under way passes the data through untouched.
   */
  fill(image: CacheSource, data: Readable): Readable {
    if (this.filling.has(image.id)) return data;
    this.filling.add(image.id);
    const partial = join(this.directory, 'incomplete', `${image.id}.${randomBytes(4).toString('hex')}`);
    const file = createWriteStream(partial, { mode: 0o640 });
    const out = new PassThrough();
    const md5 = createHash('md5');
    let bytes = 0;
    let failed = false;
    // The slower of the reader and the disk sets the pace: the source waits for both to drain.
    let outFull = false;
    let fileFull = false;
    const maybeResume = () => {
      if (!outFull && !fileFull) data.resume();
    };
    out.on('drain', () => {
      outFull = false;
      maybeResume();
    });
    file.on('drain', () => {
      fileFull = false;
      maybeResume();
    });
    const fail = () => {
      failed = true;
      fileFull = false;
      file.destroy();
      maybeResume();
    };
    data.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      md5.update(chunk);
      if (!out.write(chunk)) outFull = true;
      if (!failed && !file.write(chunk)) fileFull = true;
      if (outFull || fileFull) data.pause();
    });
    data.once('end', () => {
      out.end();
      file.end();
    });
    data.once('error', (err) => {
      fail();
      out.destroy(err);
    });
    out.once('close', () => {
      if (!data.readableEnded) {
        fail();
        data.destroy();
      }
    });
    file.once('error', fail);
    file.once('close', () => {
      const complete =
        !failed &&
        data.readableEnded &&
        (image.size === null || bytes === image.size) &&
        (!image.checksum || md5.digest('hex') === image.checksum);
      void this.settle(image.id, partial, complete);
    });
    return out;
  }

  /** Queues an image for the prefetcher; false when it is cached or queued already. */
  async queue(id: string): Promise<boolean> {
    if (!isImageId(id)) return false;
    if ((await this.isCached(id)) || (await this.queued()).includes(id)) return false;
    await writeFile(join(this.directory, 'queue', id), '');
    return true;
  }

  /** Queued image ids, oldest first. */
  async queued(): Promise<string[]> {
    const dir = join(this.directory, 'queue');
    // An entry may leave the queue between the listing and its stat: it is no longer queued.
    const entries = await Promise.all(
      (await readdir(dir)).map(async (id) => ({
        id,
        mtime: (await stat(join(dir, id)).catch(() => undefined))?.mtimeMs,
      })),
    );
    return entries
      .filter((e): e is { id: string; mtime: number } => e.mtime !== undefined)
      .sort((a, b) => a.mtime - b.mtime)
      .map((e) => e.id);
  }

  async dequeue(id: string): Promise<void> {
    await rm(join(this.directory, 'queue', id), { force: true });
  }

  async list(): Promise<CachedImage[]> {
    const out: CachedImage[] = [];
    for (const name of (await readdir(this.directory)).sort()) {
      if (!isImageId(name)) continue;
      const s = await stat(this.path(name)).catch(() => undefined);
      if (!s?.isFile()) continue;
      const meta = await this.meta(name);
      out.push({
        image_id: name,
        hits: meta.hits,
        last_accessed: meta.last_accessed || s.mtimeMs / 1000,
        last_modified: s.mtimeMs / 1000,
        size: s.size,
      });
    }
    return out;
  }

  /** Drops an image from the cache and the queue; true when it was in either. */
  async delete(id: string): Promise<boolean> {
    if (!isImageId(id)) return false;
    const had = (await this.isCached(id)) || (await this.queued()).includes(id);
    await rm(this.path(id), { force: true });
    await rm(join(this.directory, 'meta', id), { force: true });
    await this.dequeue(id);
    return had;
  }

  /** Empties the cache (`cache`), the queue (`queue`) or both; returns how many went from each. */
  async clear(
    target: 'cache' | 'queue' | 'both',
  ): Promise<{ cache_deleted?: number; queue_deleted?: number }> {
    const res: { cache_deleted?: number; queue_deleted?: number } = {};
    if (target !== 'queue') {
      const cached = await this.list();
      for (const c of cached) await this.delete(c.image_id);
      res.cache_deleted = cached.length;
    }
    if (target !== 'cache') {
      const queued = await this.queued();
      for (const id of queued) await this.dequeue(id);
      res.queue_deleted = queued.length;
    }
    return res;
  }

  /** Removes least recently used images until the cache fits `maxBytes`; returns how many went. */
  async prune(): Promise<number> {
    const cached = await this.list();
    let total = cached.reduce((s, c) => s + c.size, 0);
    let removed = 0;
    for (const c of cached.sort((a, b) => a.last_accessed - b.last_accessed)) {
      if (total <= this.limits.maxBytes) break;
      await this.delete(c.image_id);
      total -= c.size;
      removed++;
    }
    return removed;
  }

  /** Removes partial files older than the stall time (fills that died with their process). */
  async clean(): Promise<number> {
    const dir = join(this.directory, 'incomplete');
    let removed = 0;
    for (const name of await readdir(dir)) {
      const s = await stat(join(dir, name)).catch(() => undefined);
      if (s && Date.now() - s.mtimeMs > this.limits.stallSeconds * 1000) {
        await rm(join(dir, name), { force: true });
        removed++;
      }
    }
    return removed;
  }

  private async settle(id: string, partial: string, complete: boolean): Promise<void> {
    try {
      if (!complete) return await rm(partial, { force: true });
      await rename(partial, this.path(id));
      await this.writeMeta(id, { hits: 0, last_accessed: now() });
      await this.dequeue(id);
      await this.prune();
    } catch {
      await rm(partial, { force: true }).catch(() => undefined);
    } finally {
      this.filling.delete(id);
    }
  }

  /** The cached file of an image (callers check the id is an image id: nothing else lives here). */
  private path(id: string): string {
    return join(this.directory, id);
  }

  private async meta(id: string): Promise<Meta> {
    try {
      return JSON.parse(await readFile(join(this.directory, 'meta', id), 'utf8')) as Meta;
    } catch {
      return { hits: 0, last_accessed: 0 };
    }
  }

  private writeMeta(id: string, meta: Meta): Promise<void> {
    return writeFile(join(this.directory, 'meta', id), JSON.stringify(meta));
  }
}
