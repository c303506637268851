import type { Readable } from 'node:stream';
import type { EndpointInterface, ServiceClients } from '@nimbus/clients';

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
 * the caller (their token, with the image service's own as X-Service-Token). Of its additional
 * properties, those that start with one of `copyPrefixes` (Glance's
 * `[glance_download_properties] extra_properties`) come along.
 */
export class RemoteImageSource {
  constructor(
    private readonly clients: ServiceClients,
    private readonly copyPrefixes: readonly string[],
  ) {}

  async open(token: string, ref: RemoteImageRef): Promise<RemoteImage> {
    const glance = this.clients
      .actingFor(token)
      .at({ region: ref.glance_region, interface: ref.glance_service_interface as EndpointInterface }).image;
    const image = await glance.getImage(ref.glance_image_id);
    if (image.status !== 'active') throw new Error(`Remote image ${ref.glance_image_id} is not active`);
    const properties: Record<string, string> = {};
    for (const [k, v] of Object.entries(image))
      if (typeof v === 'string' && this.copyPrefixes.some((p) => k.startsWith(p))) properties[k] = v;
    const data = await glance.downloadImage(ref.glance_image_id);
    if (!data) throw new Error(`Remote image ${ref.glance_image_id} has no data`);
    return {
      diskFormat: String(image.disk_format),
      containerFormat: String(image.container_format),
      properties,
      data,
    };
  }
}
