import type { ImageClient, ImageDocument } from '@nimbus/clients';
import { BadRequestError, ForbiddenError, NotFoundError } from '@nimbus/errors';
import type { ComputeRequest } from '../compute-request';
import { getImage, imageAccess } from './image-controller';
import { imageProperties } from './image-view';
import { translating } from './proxy-request';

type Metadata = Record<string, string>;

/** Properties Glance keeps for itself: never removed on the caller's behalf. */
const reserved = (key: string) => key.startsWith('os_glance');

/** Nova's image metadata quota (`metadata_items`): 403 past it. */
async function checkQuota(req: ComputeRequest, metadata: Record<string, unknown>) {
  const count = Object.keys(metadata).length;
  if (!count) return;
  const limit = (await req.services.quotas.limits(req.credentials.projectId ?? '')).metadata_items;
  if (limit >= 0 && count > limit)
    throw new ForbiddenError('Image metadata limit exceeded', { code: 'COMPUTE_IMAGE_METADATA_LIMIT' });
}

/** Makes the image's properties exactly `wanted` (Nova's update with purge_props), through Glance's JSON patch. */
async function replaceProperties(
  image: ImageClient,
  current: ImageDocument,
  wanted: Record<string, unknown>,
) {
  const have = imageProperties(current);
  const patch: { op: string; path: string; value?: unknown }[] = [];
  for (const [key, value] of Object.entries(wanted)) {
    if (have[key] === value) continue;
    patch.push({ op: key in have ? 'replace' : 'add', path: `/${key}`, value });
  }
  for (const key of Object.keys(have))
    if (!(key in wanted) && !reserved(key)) patch.push({ op: 'remove', path: `/${key}` });
  if (!patch.length) return current;
  return translating(() => image.updateImage(current.id, patch), {
    403: (m) => new ForbiddenError(m, { code: 'COMPUTE_IMAGE_FORBIDDEN' }),
    404: () => new NotFoundError('Image not found.', { code: 'COMPUTE_IMAGE_NOT_FOUND' }),
    400: (m) => new BadRequestError(m, { code: 'COMPUTE_INVALID_INPUT' }),
  });
}

async function current(req: ComputeRequest) {
  const { image } = await imageAccess(req);
  return { image, found: await getImage(image, req.params.image_id!) };
}

/** `GET /images/{id}/metadata`. */
export async function listImageMetadata(req: ComputeRequest) {
  return { metadata: imageProperties((await current(req)).found) };
}

/** `GET /images/{id}/metadata/{key}`. */
export async function showImageMetadata(req: ComputeRequest) {
  const metadata = imageProperties((await current(req)).found);
  const key = req.params.key!;
  if (!(key in metadata))
    throw new NotFoundError('The resource could not be found.', { code: 'COMPUTE_IMAGE_METADATA_NOT_FOUND' });
  return { meta: { [key]: metadata[key] } };
}

/** `POST /images/{id}/metadata`: merges the given items into the image's properties. */
export async function createImageMetadata(req: ComputeRequest<{ metadata: Metadata }>) {
  const { image, found } = await current(req);
  const wanted = { ...imageProperties(found), ...req.body.metadata };
  await checkQuota(req, wanted);
  return { metadata: imageProperties(await replaceProperties(image, found, wanted)) };
}

/** `PUT /images/{id}/metadata`: the given items become the image's properties. */
export async function replaceImageMetadata(req: ComputeRequest<{ metadata: Metadata }>) {
  const { image, found } = await current(req);
  const metadata = req.body.metadata;
  await checkQuota(req, metadata);
  await replaceProperties(image, found, metadata);
  return { metadata };
}

/** `PUT /images/{id}/metadata/{key}`: sets one item (the body must name the same key). */
export async function updateImageMetadataItem(req: ComputeRequest<{ meta: Metadata }>) {
  const meta = req.body.meta;
  const key = req.params.key!;
  if (!(key in meta))
    throw new BadRequestError('Request body and URI mismatch', { code: 'COMPUTE_INVALID_INPUT' });
  const { image, found } = await current(req);
  const wanted = { ...imageProperties(found), [key]: meta[key] };
  await checkQuota(req, wanted);
  await replaceProperties(image, found, wanted);
  return { meta };
}

/** `DELETE /images/{id}/metadata/{key}`. */
export async function deleteImageMetadataItem(req: ComputeRequest) {
  const { image, found } = await current(req);
  const key = req.params.key!;
  const wanted = imageProperties(found);
  if (!(key in wanted))
    throw new NotFoundError('Invalid metadata key', { code: 'COMPUTE_IMAGE_METADATA_NOT_FOUND' });
  delete wanted[key];
  await replaceProperties(image, found, wanted);
}
