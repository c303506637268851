import type { ImageClient, ImageDocument } from '@nimbus/clients';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '@nimbus/errors';
import { respond } from '@nimbus/http';
import type { ComputeRequest } from '../compute-request';
import { imageListView, imageView } from './image-view';
import { translating } from './proxy-request';

/** Nova's image filters and the Glance v2 filter each becomes. */
const FILTERS: Record<string, string> = {
  name: 'name',
  status: 'status',
  server: 'instance_uuid',
  type: 'image_type',
  minRam: 'min_ram',
  minDisk: 'min_disk',
};

/** The image (Glance) client acting for the caller, and the image endpoint for `alternate` links. */
export async function imageAccess(req: ComputeRequest): Promise<{ image: ImageClient; endpoint: string }> {
  const clients = req.services.clients.forRequest(req);
  return { image: clients.image, endpoint: await clients.endpointSource('image').endpoint() };
}

/** One image the caller may see; Nova's "Image not found." otherwise. */
export function getImage(image: ImageClient, id: string): Promise<ImageDocument> {
  return translating(() => image.getImage(id), {
    404: () => new NotFoundError('Image not found.', { code: 'COMPUTE_IMAGE_NOT_FOUND' }),
    400: () => new NotFoundError('Image not found.', { code: 'COMPUTE_IMAGE_NOT_FOUND' }),
  });
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** The Glance v2 filters of a Nova images query (`property-*` passes as the bare property). */
export function glanceFilters(query: Record<string, string | string[] | undefined>): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const [key, raw] of Object.entries(query)) {
    const value = one(raw);
    if (value === undefined) continue;
    if (key in FILTERS) filters[FILTERS[key]!] = value;
    else if (key === 'changes-since') filters.updated_at = `gte:${value}`;
    else if (key.startsWith('property-')) filters[key.slice('property-'.length)] = value;
  }
  // The server filter may be the server's URL: its last segment is the id.
  if (filters.instance_uuid?.includes('/')) filters.instance_uuid = filters.instance_uuid.split('/').pop()!;
  if (filters.status) filters.status = filters.status.toLowerCase();
  return filters;
}

async function listing(req: ComputeRequest, detail: boolean) {
  const q = req.query as Record<string, string | string[] | undefined>;
  const max = req.services.options.maxLimit;
  const rawLimit = one(q.limit);
  if (rawLimit !== undefined && !/^\d+$/.test(rawLimit))
    throw new BadRequestError('limit param must be an integer', { code: 'COMPUTE_INVALID_INPUT' });
  const limit = rawLimit !== undefined ? Number(rawLimit) : undefined;
  const filters = glanceFilters(q);
  const { image, endpoint } = await imageAccess(req);
  const images: ImageDocument[] = [];
  let marker = one(q.marker);
  // Glance answers in pages; follow them until the limit (or the end) as glanceclient does.
  for (;;) {
    const want = limit !== undefined ? limit - images.length : undefined;
    if (want !== undefined && want <= 0) break;
    const page = await translating(
      () =>
        image.listImages({
          ...filters,
          ...(marker ? { marker } : {}),
          ...(want ? { limit: Math.min(want, max) } : {}),
        }),
      { 400: (m) => new BadRequestError(m, { code: 'COMPUTE_INVALID_INPUT' }) },
    );
    images.push(...page.images);
    if (!page.next || !page.images.length) break;
    marker = page.images[page.images.length - 1]!.id;
  }
  return imageListView(req, images, detail, endpoint, Math.min(limit ?? max, max));
}

/** `GET /images`. */
export function listImages(req: ComputeRequest) {
  return listing(req, false);
}

/** `GET /images/detail`. */
export function detailImages(req: ComputeRequest) {
  return listing(req, true);
}

/** `GET /images/{id}`. */
export async function showImage(req: ComputeRequest) {
  const { image, endpoint } = await imageAccess(req);
  return { image: imageView(req, await getImage(image, req.params.image_id!), endpoint) };
}

/** `DELETE /images/{id}`. */
export async function deleteImage(req: ComputeRequest) {
  const { image } = await imageAccess(req);
  await translating(() => image.deleteExistingImage(req.params.image_id!), {
    404: () => new NotFoundError('Image not found.', { code: 'COMPUTE_IMAGE_NOT_FOUND' }),
    400: () => new NotFoundError('Image not found.', { code: 'COMPUTE_IMAGE_NOT_FOUND' }),
    403: () =>
      new ForbiddenError('You are not allowed to delete the image.', { code: 'COMPUTE_IMAGE_FORBIDDEN' }),
    409: (m) => new ConflictError(m, { code: 'COMPUTE_IMAGE_DELETE_CONFLICT' }),
  });
  return respond(204);
}
