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

  /** Creates an image record (queued, no data yet); `body` carries fields and properties, flat. */
  createImage(body: Record<string, unknown>): Promise<ImageDocument> {
    return this.rest.json<ImageDocument>({ method: 'POST', path: '/v2/images', json: body });
  }

  /** Uploads a queued image's data (`PUT /v2/images/{id}/file`). */
  async uploadImage(id: string, data: Uint8Array): Promise<void> {
    const res = await this.rest.request({
      method: 'PUT',
      path: `/v2/images/${encodeURIComponent(id)}/file`,
      body: data,
      headers: { 'content-type': 'application/octet-stream' },
    });
    await res.body?.cancel();
  }

  /** Changes an image with JSON-patch operations (`add`, `replace`, `remove`). */
  updateImage(id: string, ops: { op: string; path: string; value?: unknown }[]): Promise<ImageDocument> {
    return this.rest.json<ImageDocument>({
      method: 'PATCH',
      path: `/v2/images/${encodeURIComponent(id)}`,
      json: ops,
      headers: { 'content-type': 'application/openstack-images-v2.1-json-patch' },
    });
  }

  /** Deletes an image (an image already gone is fine). */
  async deleteImage(id: string): Promise<void> {
    const res = await this.rest.request({
      method: 'DELETE',
      path: `/v2/images/${encodeURIComponent(id)}`,
      expect: [404],
    });
    await res.body?.cancel();
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

  /**
   * Deletes an image that must exist (Nova's images proxy answers 404 for one that does not):
   * RemoteServiceError 404 when absent, 403 when not allowed, 409 when protected.
   */
  async deleteExistingImage(id: string): Promise<void> {
    const res = await this.rest.request({ method: 'DELETE', path: `/v2/images/${encodeURIComponent(id)}` });
    await res.body?.cancel();
  }
}
