import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import type { ObjectStoreClient } from '@nimbus/clients';
import { type ImageStore, type StoredData, StoreNotFound } from './store-api';

/** Settings of an object-store (`swift`) store, as glance_store names them. */
export interface SwiftStoreSettings {
  container: string;
  /** Bytes per segment (`swift_store_large_object_chunk_size`). */
  chunkSize: number;
}

/** One segment being written: the stream its PUT reads and the PUT itself. */
interface OpenSegment {
  stream: PassThrough;
  put: Promise<string>;
  bytes: number;
}

/**
 * The `swift` store: images as objects in the object-storage service, reached through its client.
 * The data streams into segments of `chunkSize` bytes (`<image>-00001`, ...) and a dynamic large
 * object manifest `<image>` ties them together, so an image of any size is one object to read
 * (ranges included) and never sits whole in memory. The manifest is written last: a failed
 * upload leaves no image, and its segments are deleted.
 */
export class SwiftStore implements ImageStore {
  readonly type = 'swift';
  private containerReady: Promise<void> | undefined;

  constructor(
    readonly id: string,
    private readonly client: ObjectStoreClient,
    private readonly settings: SwiftStoreSettings,
  ) {}

  properties(): Record<string, unknown> {
    return {
      container: this.settings.container,
      large_object_size: this.settings.chunkSize,
      large_object_chunk_size: this.settings.chunkSize,
    };
  }

  async add(imageId: string, data: Readable): Promise<StoredData> {
    await this.ensureContainer();
    const { container, chunkSize } = this.settings;
    const segments: string[] = [];
    let open: OpenSegment | undefined;
    let size = 0;
    const start = (): OpenSegment => {
      const name = `${imageId}-${String(segments.length + 1).padStart(5, '0')}`;
      segments.push(name);
      const stream = new PassThrough({ highWaterMark: 1 << 20 });
      const put = this.client.putObject(container, name, stream);
      put.catch(() => undefined);
      return { stream, put, bytes: 0 };
    };
    const finish = async (segment: OpenSegment) => {
      segment.stream.end();
      await segment.put;
    };
    try {
      for await (const chunk of data as AsyncIterable<Buffer>) {
        for (let at = 0; at < chunk.length; ) {
          open ??= start();
          const part = chunk.subarray(at, at + chunkSize - open.bytes);
          // A PUT that fails stops reading: race the drain against it so the upload fails too.
          if (!open.stream.write(part)) await Promise.race([once(open.stream, 'drain'), open.put]);
          open.bytes += part.length;
          size += part.length;
          at += part.length;
          if (open.bytes === chunkSize) {
            await finish(open);
            open = undefined;
          }
        }
      }
      if (open || !segments.length) await finish(open ?? start());
      open = undefined;
      await this.client.putObject(container, imageId, new Uint8Array(), {
        'x-object-manifest': `${container}/${imageId}-`,
      });
    } catch (err) {
      open?.stream.destroy();
      await Promise.all(segments.map((s) => this.client.deleteObject(container, s).catch(() => false)));
      throw err;
    }
    return { location: `swift+config://${this.id}/${container}/${imageId}`, size };
  }

  async get(location: string, range?: { start: number; end: number }): Promise<Readable> {
    const stream = await this.client.getObject(this.settings.container, this.objectOf(location), range);
    if (!stream) throw new StoreNotFound(`no data at ${location}`);
    return stream;
  }

  async delete(location: string): Promise<void> {
    const name = this.objectOf(location);
    const { container } = this.settings;
    await this.client.deleteObject(container, name);
    for (const s of await this.client.listObjects(container, `${name}-`))
      await this.client.deleteObject(container, s.name);
  }

  private ensureContainer(): Promise<void> {
    this.containerReady ??= this.client.ensureContainer(this.settings.container).catch((err) => {
      this.containerReady = undefined;
      throw err;
    });
    return this.containerReady;
  }

  /** The object a location of this store names. */
  private objectOf(location: string): string {
    const prefix = `swift+config://${this.id}/${this.settings.container}/`;
    if (!location.startsWith(prefix)) throw new StoreNotFound(`${location} is not in store ${this.id}`);
    return location.slice(prefix.length);
  }
}
