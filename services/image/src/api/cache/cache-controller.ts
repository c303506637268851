import { NotFoundError } from '@nimbus/errors';
import { respond, route, type Route } from '@nimbus/http';
import type { ImageCache } from '../../cache/image-cache';
import { badRequest } from '../../manager/image-errors';
import { callerOf, type ImageRequest, imageTarget } from '../image-request';

/** The cache of this node, or 404 where caching is off (as upstream answers then). */
function cacheOf(req: ImageRequest): ImageCache {
  if (!req.services.cache)
    throw new NotFoundError('Caching via API is not supported at this site.', {
      code: 'IMAGE_CACHE_DISABLED',
    });
  return req.services.cache.cache;
}

async function listCache(req: ImageRequest) {
  const cache = cacheOf(req);
  req.authorize('cache_list', { project_id: req.credentials.projectId });
  return { cached_images: await cache.list(), queued_images: await cache.queued() };
}

async function queueImage(req: ImageRequest) {
  const cache = cacheOf(req);
  const id = req.params.image_id!;
  const image = await req.services.images.get(callerOf(req), id).catch(() => {
    throw new NotFoundError(`Image ${id} not found.`, { code: 'IMAGE_NOT_FOUND' });
  });
  req.authorize('cache_image', imageTarget(req, image));
  if (image.status !== 'active')
    throw badRequest('Only images with status active can be targeted for queueing');
  if (await cache.queue(id)) req.services.cache!.prefetcher.kickSoon();
  return respond(202);
}

async function deleteEntry(req: ImageRequest) {
  const cache = cacheOf(req);
  const id = req.params.image_id!;
  const image = await req.services.images.get(callerOf(req), id).catch(() => undefined);
  if (!image && !(await cache.isCached(id)) && !(await cache.queued()).includes(id))
    throw new NotFoundError(`Image ${id} not found.`, { code: 'IMAGE_NOT_FOUND' });
  req.authorize('cache_delete', image ? imageTarget(req, image) : { project_id: req.credentials.projectId });
  await cache.delete(id);
  return respond(204);
}

async function clearCache(req: ImageRequest) {
  const cache = cacheOf(req);
  req.authorize('cache_delete', { project_id: req.credentials.projectId });
  const target = String(req.headers['x-image-cache-clear-target'] ?? '').toLowerCase();
  if (target !== '' && target !== 'cache' && target !== 'queue')
    throw badRequest("If provided 'x-image-cache-clear-target' must be 'cache', 'queue' or empty string.");
  await cache.clear(target === '' ? 'both' : target);
  return respond(204);
}

/** The cache API (v2.14): list, queue, delete one, clear. */
export const cacheRoutes: Route[] = [
  route('GET', '/v2/cache', listCache),
  route('PUT', '/v2/cache/:image_id', queueImage),
  route('DELETE', '/v2/cache/:image_id', deleteEntry),
  route('DELETE', '/v2/cache', clearCache),
];
