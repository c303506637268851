import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { type EndpointSource, RestClient, type RestClientOptions } from './rest-client';

/** One object of a container listing. */
export interface ObjectEntry {
  name: string;
  bytes: number;
  hash: string;
}

const path = (...parts: string[]) => `/${parts.map(encodeURIComponent).join('/')}`;

/**
 * The object-storage (Swift v1) calls other services make, against the account the endpoint
 * source's catalog names (`/v1/AUTH_<project>`): containers, streamed object writes and reads
 * (with a byte range), listings by prefix, deletes.
 */
export class ObjectStoreClient {
  private readonly rest: RestClient;

  constructor(source: EndpointSource, options: RestClientOptions = {}) {
    this.rest = new RestClient('object-store', source, options);
  }

  /** Creates a container (a no-op when it exists). */
  async ensureContainer(container: string): Promise<void> {
    await this.rest.request({ method: 'PUT', path: path(container) });
  }

  /** Writes an object from a buffer or a stream; resolves with its ETag once stored. */
  async putObject(
    container: string,
    name: string,
    body: Uint8Array | NodeJS.ReadableStream,
    headers: Record<string, string> = {},
  ): Promise<string> {
    const res = await this.rest.request({ method: 'PUT', path: path(container, name), body, headers });
    await res.text();
    return res.headers.get('etag') ?? '';
  }

  /** Streams an object, or bytes `start` to `end - 1` of it; undefined when it does not exist. */
  async getObject(
    container: string,
    name: string,
    range?: { start: number; end: number },
  ): Promise<Readable | undefined> {
    const res = await this.rest.request({
      method: 'GET',
      path: path(container, name),
      headers: range ? { range: `bytes=${range.start}-${range.end - 1}` } : {},
      expect: [404],
    });
    if (res.status === 404) {
      await res.text();
      return undefined;
    }
    return res.body ? Readable.fromWeb(res.body as WebReadableStream<Uint8Array>) : Readable.from([]);
  }

  /** Every object whose name starts with `prefix` (all pages). */
  async listObjects(container: string, prefix: string): Promise<ObjectEntry[]> {
    const all: ObjectEntry[] = [];
    for (let marker = ''; ; ) {
      const res = await this.rest.request({
        method: 'GET',
        path: path(container),
        query: { format: 'json', prefix, marker: marker || undefined },
        expect: [404],
      });
      const text = await res.text();
      const page = res.status === 200 && text ? (JSON.parse(text) as ObjectEntry[]) : [];
      if (!page.length) return all;
      all.push(...page);
      marker = page[page.length - 1]!.name;
    }
  }

  /** Deletes an object; true when it existed. */
  async deleteObject(container: string, name: string): Promise<boolean> {
    const res = await this.rest.request({ method: 'DELETE', path: path(container, name), expect: [404] });
    await res.text();
    return res.status !== 404;
  }
}
