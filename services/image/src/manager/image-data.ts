import { PayloadTooLargeError } from '@nimbus/errors';
import { PassThrough, type Readable, Transform, type TransformCallback } from 'node:stream';
import type { ImageRecord, ImageRepository } from '../db/repositories/image-repository';
import type { ImageStore } from '../drivers/store/store-api';
import { InspectingStream, mismatch } from '../format/format-inspector';
import type { Digests, HashWorker } from './hash-worker';
import type { ImageCaller } from './image-caller';
import { badRequest, conflict, forbidden, tooLarge } from './image-errors';
import type { ImageManager } from './image-manager';

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
    private readonly hashing: { write(chunk: Buffer): Promise<void> },
    private readonly maxBytes: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(tooLarge(`Image exceeds the storage quota: the image is larger than ${this.maxBytes} bytes.`));
      return;
    }
    this.hashing.write(chunk).then(
      () => done(null, chunk),
      (err: Error) => done(err),
    );
  }
}

/**
 * The request body, failing (instead of hanging) when the client goes away before the end:
 * `pipe` does not carry a source's errors downstream, so a cut-off upload would never finish.
 */
export function cutOffAware(body: Readable): Readable {
  const out = new PassThrough();
  const cut = () => out.destroy(new Error('the upload was cut off before its end'));
  body.on('error', (err) => out.destroy(err));
  body.once('close', () => {
    if (!body.readableEnded) cut();
  });
  if (body.destroyed && !body.readableEnded) cut();
  return body.pipe(out);
}

/** Pipes streams one into the next; an error anywhere destroys the last, which the store reads. */
function chain(first: Readable, ...rest: Transform[]): Readable {
  let current: Readable = first;
  const last = rest[rest.length - 1] ?? first;
  for (const next of rest) {
    current.on('error', (err) => last.destroy(err));
    current = current.pipe(next);
  }
  return last;
}

/**
 * Image data: `PUT /file` streams the body through size limits, MD5 and the multihash and (for
 * bare images) the format inspector into the store, moving the image queued → saving → active;
 * an upload over a limit returns it to queued, a refused or cut-off one kills it; neither leaves
 * data behind. `GET /file` streams
 * the data back, whole or a byte range.
 */
export class ImageData {
  constructor(
    private readonly manager: ImageManager,
    private readonly images: ImageRepository,
    private readonly store: ImageStore,
    private readonly limits: DataLimits,
    private readonly hasher: HashWorker,
  ) {}

  /** Stores the data of a queued image; `body` must come from `cutOffAware` so a cut-off upload fails. */
  async upload(caller: ImageCaller, id: string, body: Readable): Promise<void> {
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
    if (!(await this.images.transition(id, ['queued'], 'saving')))
      throw conflict(`Image status transition from ${image.status} to saving is not allowed`);
    // Over a size limit: back to queued for another try, as upstream. Refused by the inspector,
    // or cut off midway: killed, and no byte of it kept.
    await this.ingest(image, body, 'saving', max, (err) =>
      err instanceof PayloadTooLargeError ? 'queued' : 'killed',
    );
  }

  /** Moves staged data of an importing image into the store (the import flow decides what a failure does). */
  async storeFrom(id: string, body: Readable, from: string): Promise<void> {
    const image = await this.images.get(id);
    if (!image) throw conflict(`Image ${id} is gone`);
    await this.ingest(image, body, from, this.limits.imageSizeCap, () => undefined);
  }

  /** Streams data through the meter and the inspector into the store, and activates the image. */
  private async ingest(
    image: ImageRecord,
    body: Readable,
    from: string,
    max: number,
    failedStatus: (err: unknown) => string | undefined,
  ): Promise<void> {
    const id = image.id;
    const hashing = this.hasher.open(this.limits.hashAlgorithm);
    const meter = new MeteringStream(hashing, max);
    const inspector = new InspectingStream();
    let stored: { location: string; size: number } | undefined;
    let digests: Digests;
    try {
      stored = await this.store.add(id, chain(body, meter, inspector));
      if (image.containerFormat === 'bare') {
        const problem = mismatch(image.diskFormat ?? '', inspector.result());
        if (problem) throw badRequest(`Image rejected by the format inspector: ${problem}.`);
      }
      digests = await hashing.end();
    } catch (err) {
      hashing.abort();
      body.resume();
      if (stored) await this.store.delete(stored.location);
      const status = failedStatus(err);
      if (status) await this.images.transition(id, [from], status);
      throw err;
    }
    const found = inspector.result();
    const virtualSize = found.format === image.diskFormat ? found.virtualSize : null;
    const done = await this.images.transition(id, [from], 'active', {
      size: stored.size,
      virtualSize,
      checksum: digests.md5,
      osHashAlgo: this.limits.hashAlgorithm,
      osHashValue: digests.multihash,
      location: stored.location,
    });
    // The image was deleted (or otherwise moved on) while its data was arriving: keep nothing.
    if (!done) await this.store.delete(stored.location);
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
    if (!image.location || (image.status !== 'active' && image.status !== 'deactivated')) return { image };
    return { image, stream: await this.store.get(image.location, range) };
  }
}
