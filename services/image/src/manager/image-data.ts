import { PassThrough, type Readable, Transform, type TransformCallback } from 'node:stream';
import { PayloadTooLargeError } from '@nimbus/errors';
import { type HashStream, type HashThreads, streamPipeline } from '@nimbus/service';
import type { ImageCache } from '../cache/image-cache';
import {
  type ImageLocation,
  type ImageRecord,
  type ImageRepository,
  STAGING_STORE,
} from '../db/repositories/image-repository';
import type { ImageStores } from '../drivers/store/image-stores';
import { DATA_CHUNK, type ImageStore } from '../drivers/store/store-api';
import { InspectingStream, mismatch } from '@nimbus/disk-format';
import type { ImageCaller } from './image-caller';
import { badRequest, conflict, forbidden, tooLarge } from './image-errors';
import type { ImageManager } from './image-manager';
import { type ImageNotifier, importProperties } from './image-notifier';
import type { ImageQuotas } from './image-quotas';

/** Upload limits (Glance's `image_size_cap` and `user_storage_quota`). */
export interface DataLimits {
  imageSizeCap: number;
  userStorageQuota: number;
  hashAlgorithm: string;
}

/** Counts bytes in flight and feeds them to the hash thread; fails the stream past `maxBytes`. */
class MeteringStream extends Transform {
  bytes = 0;

  constructor(
    private readonly hashing: HashStream,
    private readonly maxBytes: number,
  ) {
    super({ highWaterMark: DATA_CHUNK });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(tooLarge(`Image exceeds the storage quota: the image is larger than ${this.maxBytes} bytes.`));
      return;
    }
    // The hash thread asks for a wait only when it is far behind.
    const behind = this.hashing.update(chunk);
    if (behind) behind.then(() => done(null, chunk));
    else done(null, chunk);
  }
}

/**
 * The request body, failing (instead of hanging) when the client goes away before the end:
 * `pipe` alone does not carry a source's errors or early close downstream, so a cut-off upload
 * would never finish. The request itself is left alone, so the fault can still be answered on it.
 */
export function cutOffAware(body: Readable): Readable {
  return streamPipeline(body, [new PassThrough({ highWaterMark: DATA_CHUNK })], { destroySource: false });
}

/** The copies of an image's data readers may use: every store's but the staging area's. */
export function storedLocations(image: ImageRecord): ImageLocation[] {
  return image.locations.filter((l) => l.store !== STAGING_STORE);
}

/**
 * Image data: `PUT /file` streams the body through size limits, MD5 and the multihash and (for
 * bare images) the format inspector into one store (the default, or `X-Image-Meta-Store`),
 * moving the image queued → saving → active; an upload over a limit returns it to queued, a
 * refused or cut-off one kills it; neither leaves data behind. Copies to further stores stream
 * from a store that has the data. `GET /file` streams the data back, whole or a byte range, from
 * the default store when it holds a copy.
 */
export class ImageData {
  constructor(
    private readonly manager: ImageManager,
    private readonly images: ImageRepository,
    private readonly stores: ImageStores,
    private readonly limits: DataLimits,
    private readonly hasher: HashThreads,
    private readonly cache?: ImageCache,
    private readonly quotas?: ImageQuotas,
    /** Announces the data path as Glance does (`image.prepare`, `image.upload`, `image.activate`). */
    private readonly notifier?: ImageNotifier,
  ) {}

  /** Stores the data of a queued image; `body` must come from `cutOffAware` so a cut-off upload fails. */
  async upload(caller: ImageCaller, id: string, body: Readable, storeId?: string): Promise<void> {
    const store = this.stores.get(storeId ?? this.stores.defaultId);
    const image = await this.manager.getOwned(caller, id, 'upload data to');
    if (image.status !== 'queued')
      throw conflict(`Image status transition from ${image.status} to saving is not allowed`);
    if (!image.diskFormat || !image.containerFormat)
      throw badRequest('Properties disk_format, container_format must be set prior to saving data.');
    let max = this.limits.imageSizeCap;
    if (this.limits.userStorageQuota > 0 && image.owner) {
      const used = (await this.images.usage(image.owner)).bytes;
      max = Math.min(max, this.limits.userStorageQuota - used);
      if (max <= 0)
        throw tooLarge(
          `Denying attempt to upload image because it exceeds the quota: the remaining storage is ${Math.max(0, max)} bytes.`,
        );
    }
    await this.quotas?.enforce(image.owner, { image_size_total: 0, image_count_uploading: 1 });
    if (!(await this.images.transition(id, ['queued'], 'saving')))
      throw conflict(`Image status transition from ${image.status} to saving is not allowed`);
    // Glance saves the image as saving before the data comes: that save is an update.
    await this.manager.announce('image.update', id);
    // Over a size limit: back to queued for another try, as upstream. Refused by the inspector,
    // or cut off midway: killed, and no byte of it kept.
    await this.ingest(image, body, 'saving', max, store, (err) =>
      err instanceof PayloadTooLargeError ? 'queued' : 'killed',
    );
    // ...and again once its data is in.
    await this.manager.announce('image.update', id);
  }

  /**
   * Moves staged data of an importing image into a store, and activates the image when asked
   * (the import flow decides what a failure does).
   */
  async storeFrom(
    id: string,
    body: Readable,
    from: string,
    storeId: string,
    activate: boolean,
  ): Promise<void> {
    const image = await this.images.get(id);
    if (!image) throw conflict(`Image ${id} is gone`);
    const store = this.stores.get(storeId);
    await this.ingest(
      image,
      body,
      from,
      this.limits.imageSizeCap,
      store,
      () => undefined,
      activate ? 'active' : from,
    );
  }

  /**
   * Copies an active image's data into one more store, streaming from a store that has it, and
   * records the copy; checks the copy's size. Nothing is kept when the copy fails or the image
   * went away meanwhile.
   */
  async copyTo(id: string, storeId: string): Promise<void> {
    const image = await this.images.get(id);
    const source = image && storedLocations(image)[0];
    if (!image || !source) throw conflict(`Image ${id} has no data to copy`);
    const target = this.stores.get(storeId);
    const stored = await target.add(id, await this.stores.get(source.store).get(source.url));
    if (
      stored.size !== image.size ||
      !(await this.images.addLocation(id, { store: storeId, url: stored.location }))
    ) {
      await target.delete(stored.location);
      throw conflict(`Copying image ${id} into store ${storeId} did not complete`);
    }
  }

  /** Removes the copy one store holds (the caller checked that others remain). */
  async deleteFrom(image: ImageRecord, storeId: string): Promise<boolean> {
    const location = image.locations.find((l) => l.store === storeId);
    if (!location || !(await this.images.removeLocation(image.id, storeId))) return false;
    await this.stores.get(storeId).delete(location.url);
    return true;
  }

  /** Streams data through the meter and the inspector into the store, and activates the image. */
  private async ingest(
    image: ImageRecord,
    body: Readable,
    from: string,
    max: number,
    store: ImageStore,
    failedStatus: (err: unknown) => string | undefined,
    to = 'active',
  ): Promise<void> {
    const id = image.id;
    await this.notifier?.image('image.prepare', { ...image, status: from }, importProperties(image));
    const hashing = this.hasher.open(['md5', this.limits.hashAlgorithm]);
    const meter = new MeteringStream(hashing, max);
    const inspector = new InspectingStream(DATA_CHUNK);
    let stored: { location: string; size: number } | undefined;
    let digests: string[];
    try {
      // The body is only unpiped on a failure: the catch below drains it so the fault can be answered.
      stored = await store.add(id, streamPipeline(body, [meter, inspector], { destroySource: false }));
      if (image.containerFormat === 'bare') {
        const problem = mismatch(image.diskFormat ?? '', inspector.result());
        if (problem) throw badRequest(`Image rejected by the format inspector: ${problem}.`);
      }
      digests = await hashing.digest();
    } catch (err) {
      hashing.abort();
      body.resume();
      if (stored) await store.delete(stored.location);
      const status = failedStatus(err);
      if (status) await this.images.transition(id, [from], status);
      await this.notifier?.send(
        'error',
        'image.upload',
        `Failed to upload image data for image ${id}: ${err instanceof Error ? err.message : String(err)}`,
      );
      throw err;
    }
    const found = inspector.result();
    const virtualSize = found.format === image.diskFormat ? found.virtualSize : null;
    const done = await this.images.transition(
      id,
      [from],
      to,
      {
        size: stored.size,
        virtualSize,
        checksum: digests[0],
        osHashAlgo: this.limits.hashAlgorithm,
        osHashValue: digests[1],
      },
      { store: store.id, url: stored.location },
    );
    // The image was deleted (or otherwise moved on) while its data was arriving: keep nothing.
    if (!done) {
      await store.delete(stored.location);
      return;
    }
    const now = this.notifier && (await this.images.get(id));
    if (now) {
      await this.notifier!.image('image.upload', now, importProperties(now));
      if (to === 'active' && image.status !== 'active') await this.notifier!.image('image.activate', now);
    }
  }

  /** The data (or a range of it) of an active image; undefined when it has none (204 upstream). */
  async download(
    caller: ImageCaller,
    id: string,
    range?: { start: number; end: number },
  ): Promise<{ image: ImageRecord; stream: Readable } | { image: ImageRecord; stream?: undefined }> {
    const image = await this.manager.get(caller, id);
    if (image.status === 'deactivated' && !caller.isAdmin)
      throw forbidden('The requested image has been deactivated. Image data download is forbidden.');
    if (image.status !== 'active' && image.status !== 'deactivated') return { image };
    const cached = await this.cache?.open(id, range);
    if (cached) return { image, stream: cached };
    const stream = await this.openStored(image, range);
    if (!stream) return { image };
    // A whole download fills the cache on its way to the client.
    return { image, stream: this.cache && !range ? this.cache.fill(image, stream) : stream };
  }

  /** Reads an active image from its store into the cache (the prefetcher's fetch). */
  async cacheImage(id: string): Promise<void> {
    const image = await this.images.get(id);
    if (!this.cache || image?.status !== 'active' || (await this.cache.isCached(id))) return;
    const stream = await this.openStored(image);
    if (!stream) return;
    const filled = this.cache.fill(image, stream);
    filled.resume();
    await new Promise<void>((resolve, reject) => {
      filled.once('end', resolve);
      filled.once('error', reject);
    });
  }

  /** The data from the default store when it holds a copy, else from the first store that does. */
  private async openStored(
    image: ImageRecord,
    range?: { start: number; end: number },
  ): Promise<Readable | undefined> {
    const locations = storedLocations(image);
    const from = locations.find((l) => l.store === this.stores.defaultId) ?? locations[0];
    return from && this.stores.get(from.store).get(from.url, range);
  }
}
