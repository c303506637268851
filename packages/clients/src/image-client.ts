import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { type EndpointSource, RestClient, type RestClientOptions } from './rest-client';

/** An image as Glance v2 shows it: its fixed fields and its additional properties, flat. */
export type ImageDocument = {
  id: string;
  status: string;
  disk_format?: string | null;
  container_format?: string | null;
  size?: number | null;
} & Record<string, unknown>;

/** The image (Glance v2) calls other services make: read an image, stream its data, list. */
export class ImageClient {
  private readonly rest: RestClient;

  constructor(source: EndpointSource, options: RestClientOptions = {}) {
    this.rest = new RestClient('image', source, options);
  }

  /** One image; RemoteServiceError (404) when it does not exist or is not visible. */
  getImage(id: string): Promise<ImageDocument> {
    return this.rest.json<ImageDocument>({ method: 'GET', path: `/v2/images/${encodeURIComponent(id)}` });
  }

  /** Images matching the filters (one page; `next` names the following one). */
  async listImages(
    query: Record<string, string | number | undefined> = {},
  ): Promise<{ images: ImageDocument[]; next?: string }> {
    return this.rest.json({ method: 'GET', path: '/v2/images', query });
  }

  /** Streams an image's data; undefined when the image has none (Glance answers 204). */
  async downloadImage(id: string): Promise<Readable | undefined> {
    const res = await this.rest.request({ method: 'GET', path: `/v2/images/${encodeURIComponent(id)}/file` });
    if (res.status === 204 || !res.body) {
      await res.body?.cancel();
      return undefined;
    }
    return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  }
}
