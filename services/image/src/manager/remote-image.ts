import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { RestClient, Session } from '@nimbus/clients';

/** What glance-download takes from another Glance: formats, the properties it copies, the data. */
export interface RemoteImage {
  diskFormat: string;
  containerFormat: string;
  properties: Record<string, string>;
  data: Readable;
}

/** Where the image to download lives (`POST /import`'s glance-download parameters). */
export interface RemoteImageRef {
  glance_image_id: string;
  glance_region: string;
  glance_service_interface: string;
}

/**
 * Reads an image from the Glance that the catalog lists for a region and interface, on behalf of
 * the caller (their token, scoped to their project). Of its additional properties, those that
 * start with one of `copyPrefixes` (Glance's `[glance_download_properties] extra_properties`)
 * come along.
 */
export class RemoteImageSource {
  constructor(
    private readonly identityUrl: () => string | undefined,
    private readonly copyPrefixes: readonly string[],
  ) {}

  async open(token: string, projectId: string | undefined, ref: RemoteImageRef): Promise<RemoteImage> {
    const authUrl = this.identityUrl();
    if (!authUrl) throw new Error('glance-download needs the identity service');
    const session = new Session({
      authUrl,
      auth: { kind: 'token', token, ...(projectId ? { projectId } : {}) },
      region: ref.glance_region,
      interface: ref.glance_service_interface as 'public' | 'internal' | 'admin',
    });
    const glance = new RestClient('image', session.endpointSource('image'));
    const path = `/v2/images/${encodeURIComponent(ref.glance_image_id)}`;
    const image = await glance.json<Record<string, unknown>>({ method: 'GET', path });
    if (image.status !== 'active') throw new Error(`Remote image ${ref.glance_image_id} is not active`);
    const properties: Record<string, string> = {};
    for (const [k, v] of Object.entries(image))
      if (typeof v === 'string' && this.copyPrefixes.some((p) => k.startsWith(p))) properties[k] = v;
    const res = await glance.request({ method: 'GET', path: `${path}/file` });
    if (!res.body) throw new Error(`Remote image ${ref.glance_image_id} has no data`);
    return {
      diskFormat: String(image.disk_format),
      containerFormat: String(image.container_format),
      properties,
      data: Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
    };
  }
}
