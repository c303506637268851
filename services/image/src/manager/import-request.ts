import type { ImageRecord } from '../db/repositories/image-repository';
import { type ImageStores, UnknownStore } from '../drivers/store/image-stores';
import { badRequest, conflict } from './image-errors';
import { checkUri, type UrlPolicy } from './web-download';

/** `POST /v2/images/{id}/import`'s body. */
export interface ImportRequest {
  method: {
    name: string;
    uri?: string;
    glance_image_id?: string;
    glance_region?: string;
    glance_service_interface?: string;
  };
  stores?: string[];
  all_stores?: boolean;
  all_stores_must_succeed?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Upstream's status and format checks of `POST /import` (409 when the image is not ready). */
export function checkImportable(image: ImageRecord, method: string): void {
  if (image.status === 'active' && method !== 'copy-image')
    throw conflict('Image with status active cannot be target for import');
  if (image.status !== 'active' && method === 'copy-image')
    throw conflict('Only images with status active can be targeted for copying');
  if (image.status !== 'queued' && (method === 'web-download' || method === 'glance-download'))
    throw conflict(`Image needs to be in 'queued' state to use '${method}' method`);
  if (image.status !== 'uploading' && method === 'glance-direct')
    throw conflict("Image needs to be staged before 'glance-direct' method can be used");
  if (!image.containerFormat) throw conflict("'container_format' needs to be set before import");
  if (!image.diskFormat) throw conflict("'disk_format' needs to be set before import");
}

/** glance-download's required parameters (400), defaulting the interface to public. */
export function checkGlanceDownload(req: ImportRequest): void {
  const m = req.method;
  if (!m.glance_region) throw badRequest("'glance_region' needs to be set for glance-download import method");
  if (!m.glance_image_id)
    throw badRequest("'glance_image_id' needs to be set for glance-download import method");
  if (!UUID.test(m.glance_image_id))
    throw badRequest(`Remote image id does not look like a UUID: ${m.glance_image_id}`);
  m.glance_service_interface ??= 'public';
}

/** web-download's URI, checked against the filtering policy before any connection (400). */
export function webDownloadUrl(req: ImportRequest, policy: UrlPolicy): URL {
  if (!req.method.uri) throw badRequest("'uri' needs to be set for the web-download method");
  return checkUri(req.method.uri, policy);
}

/** The stores an import targets: `all_stores`, `stores`, the header, or the default. */
export function targetStores(
  req: ImportRequest,
  headerStore: string | undefined,
  configured: ImageStores,
): string[] {
  let stores: string[];
  if (req.all_stores) {
    if (req.stores || headerStore)
      throw badRequest(
        "All_stores parameter can't be used with x-image-meta-store header or stores parameter",
      );
    stores = configured.ids();
  } else if (req.stores) {
    if (headerStore)
      throw badRequest("Stores parameter and x-image-meta-store header can't be both specified");
    stores = [...new Set(req.stores)];
  } else stores = [headerStore ?? configured.defaultId];
  const unknown = stores.find((s) => !configured.has(s));
  if (unknown) throw conflict(new UnknownStore(unknown).message);
  return stores;
}
