import type { Readable } from 'node:stream';
import { respond, route, type Route } from '@nimbus/http';
import { NotFoundError } from '@nimbus/errors';
import type { ImageRecord } from '../../db/repositories/image-repository';
import { cutOffAware, storedLocations } from '../../manager/image-data';
import { UnknownStore } from '../../drivers/store/image-stores';
import { badRequest, conflict, forbidden } from '../../manager/image-errors';
import type { ImportRequest } from '../../manager/import-request';
import { authorizeImage, callerOf, type ImageRequest, importCallerOf } from '../image-request';

/** `X-Image-Meta-Store`, checked against the configured stores (400 for an unknown one, as upstream). */
function storeHeader(req: ImageRequest): string | undefined {
  const store = req.headers['x-image-meta-store'] as string | undefined;
  if (store !== undefined && !req.services.stores.has(store))
    throw badRequest(new UnknownStore(store).message);
  return store;
}

/** Parses a single `Range: bytes=a-b` against a size; undefined when absent, 'invalid' when unsatisfiable. */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size : Math.min(size, Number(m[2]) + 1);
  }
  return start >= size || start >= end ? 'invalid' : { start, end };
}

async function upload(req: ImageRequest<Readable | undefined>) {
  // Watch the body from the first moment: the client may go away while we look the image up.
  const body = req.body && typeof req.body.pipe === 'function' ? cutOffAware(req.body) : undefined;
  const store = storeHeader(req);
  const image = await req.services.images.get(callerOf(req), req.params.image_id!);
  authorizeImage(req, 'upload_image', image);
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  if (type !== 'application/octet-stream' || !body) {
    return respond(415, {
      message: 'Unsupported Content-Type',
      code: '415 Unsupported Media Type',
      title: 'Unsupported Media Type',
    });
  }
  await req.services.data.upload(callerOf(req), image.id, body, store);
  return respond(204);
}

async function download(req: ImageRequest) {
  const image = await req.services.images.get(callerOf(req), req.params.image_id!);
  authorizeImage(req, 'download_image', image);
  const range =
    image.size !== null ? parseRange(req.headers.range as string | undefined, image.size) : undefined;
  if (range === 'invalid')
    return respond(
      416,
      {
        message: 'Requested range not satisfiable',
        code: '416 Requested Range Not Satisfiable',
        title: 'Requested Range Not Satisfiable',
      },
      { 'content-range': `bytes */${image.size}` },
    );
  const got = await req.services.data.download(callerOf(req), image.id, range);
  if (!got.stream) return respond(204);
  const headers: Record<string, string | number> = { 'content-type': 'application/octet-stream' };
  if (got.image.checksum) headers['content-md5'] = got.image.checksum;
  if (range) {
    headers['content-range'] = `bytes ${range.start}-${range.end - 1}/${got.image.size}`;
    headers['content-length'] = range.end - range.start;
    return respond(206, got.stream, headers);
  }
  if (got.image.size !== null) headers['content-length'] = got.image.size;
  return respond(200, got.stream, headers);
}

async function stage(req: ImageRequest<Readable | undefined>) {
  const body = req.body && typeof req.body.pipe === 'function' ? cutOffAware(req.body) : undefined;
  const image = await req.services.images.get(callerOf(req), req.params.image_id!);
  authorizeImage(req, 'upload_image', image);
  if (!body)
    return respond(415, {
      message: 'Unsupported Content-Type',
      code: '415 Unsupported Media Type',
      title: 'Unsupported Media Type',
    });
  await req.services.imports.stage(callerOf(req), image.id, body);
  return respond(204);
}

async function startImport(req: ImageRequest<ImportRequest>) {
  const image = await req.services.images.get(callerOf(req), req.params.image_id!);
  // copy-image is for whoever the copy_image rule lets in; every other method changes the image.
  authorizeImage(req, req.body.method.name === 'copy-image' ? 'copy_image' : 'modify_image', image);
  const header = req.headers['x-image-meta-store'] as string | undefined;
  await req.services.imports.start(importCallerOf(req), image.id, req.body, header);
  return respond(202);
}

/** `DELETE /v2/stores/{store_id}/{image_id}` (v2.10): drops one store's copy of an active image. */
async function deleteFromStore(req: ImageRequest) {
  const storeId = req.params.store_id!;
  if (!req.services.stores.has(storeId))
    throw conflict(`The selected store ${storeId} is not available on this node.`);
  let image: ImageRecord;
  try {
    image = await req.services.images.get(callerOf(req), req.params.image_id!);
  } catch {
    throw new NotFoundError(`Failed to find image ${req.params.image_id}`, { code: 'IMAGE_NOT_FOUND' });
  }
  authorizeImage(req, 'get_image_location', image);
  authorizeImage(req, 'delete_image_location', image);
  if (image.status !== 'active')
    throw conflict("It's not allowed to remove image data from store if image status is not 'active'");
  if (storedLocations(image).length === 1)
    throw forbidden(
      'Cannot delete image data from the only store containing it. Consider deleting the image instead.',
    );
  if (!(await req.services.data.deleteFrom(image, storeId)))
    throw new NotFoundError(`Image ${image.id} is not stored in store ${storeId}.`, {
      code: 'IMAGE_NOT_FOUND',
    });
  return respond(204);
}

const importBody = {
  type: 'object',
  required: ['method'],
  properties: {
    method: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        uri: { type: 'string' },
        glance_image_id: { type: 'string' },
        glance_region: { type: 'string' },
        glance_service_interface: { type: 'string' },
      },
    },
    stores: { type: 'array', items: { type: 'string' } },
    all_stores: { type: 'boolean' },
    all_stores_must_succeed: { type: 'boolean' },
  },
};

/** `PUT/GET /v2/images/{id}/file`, `PUT /stage`, `POST /import` and deletes from one store. */
export const imageDataRoutes: Route[] = [
  route('PUT', '/v2/images/:image_id/file', upload, { stream: true }),
  route('GET', '/v2/images/:image_id/file', download),
  route('PUT', '/v2/images/:image_id/stage', stage, { stream: true }),
  route('POST', '/v2/images/:image_id/import', startImport, { body: importBody }),
  route('DELETE', '/v2/stores/:store_id/:image_id', deleteFromStore),
];
