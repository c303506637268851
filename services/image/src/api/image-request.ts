import type { ApiRequest } from '@nimbus/http';
import type { ImageRecord } from '../db/repositories/image-repository';
import { imageNotFound } from '../manager/image-errors';
import type { ImageCaller } from '../manager/image-caller';
import type { ImageData } from '../manager/image-data';
import type { ImageImport, ImportCaller } from '../manager/image-import';
import type { ImageManager } from '../manager/image-manager';
import type { MemberManager } from '../manager/member-manager';
import type { MetadefManager } from '../manager/metadef-manager';
import type { TaskManager } from '../manager/task-manager';
import type { LegacyImportTasks } from '../manager/legacy-import-tasks';
import type { ImageQuotas } from '../manager/image-quotas';
import type { ListCache } from './images/list-cache';
import type { ImageStores } from '../drivers/store/image-stores';
import type { ImageCache } from '../cache/image-cache';
import type { CachePrefetcher } from '../cache/cache-prefetcher';

/** What the image controllers read of `req.services`. */
export interface ImageServices {
  images: ImageManager;
  data: ImageData;
  imports: ImageImport;
  tasks: TaskManager;
  legacyImports: LegacyImportTasks;
  /** This node's image cache and its prefetcher, when `image_cache_dir` is set. */
  cache?: { cache: ImageCache; prefetcher: CachePrefetcher };
  stores: ImageStores;
  members: MemberManager;
  metadefs: MetadefManager;
  listLimits: { default: number; max: number };
  quotas: ImageQuotas;
  listCache: ListCache;
}

/** An image API request. */
export type ImageRequest<B = any> = ApiRequest<B, ImageServices>;

/** The caller as the image managers see it. */
export function callerOf(req: ImageRequest): ImageCaller {
  const c = req.credentials;
  return { projectId: c.projectId, isAdmin: c.roles.includes('admin'), roles: c.roles };
}

/**
 * A Glance collection body: the items, `first` (this query without its marker), `schema`, and
 * `next` (the same query from the last item) when more follow.
 */
export function collectionPage<T extends { id: string }>(
  req: ImageRequest,
  name: 'images' | 'tasks',
  items: readonly T[],
  view: (item: T) => Record<string, unknown>,
  more: boolean,
): Record<string, unknown> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query))
    if (k !== 'marker')
      for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined) params.append(k, one);
  const query = params.toString();
  const body: Record<string, unknown> = {
    [name]: items.map(view),
    first: query ? `/v2/${name}?${query}` : `/v2/${name}`,
    schema: `/v2/schemas/${name}`,
  };
  if (more && items.length) {
    params.set('marker', items[items.length - 1]!.id);
    body.next = `/v2/${name}?${params.toString()}`;
  }
  return body;
}

/** The caller of an import: who they are, their token and the request id, for the task record. */
export function importCallerOf(req: ImageRequest): ImportCaller {
  return {
    ...callerOf(req),
    userId: req.credentials.userId,
    roles: req.credentials.roles,
    token: req.credentials.token,
    requestId: req.requestId,
  };
}

/** Glance's policy target for an image: its owner as project_id, its visibility, the caller as member. */
export function imageTarget(req: ImageRequest, image: ImageRecord): Record<string, unknown> {
  return {
    project_id: image.owner,
    owner: image.owner,
    visibility: image.visibility,
    member_id: req.credentials.projectId,
  };
}

/**
 * Checks an image rule as Glance's image API does: a denial about an image the caller may not get
 * either answers 404 (the image stays hidden, as for a system-scoped admin under enforce_scope),
 * one about an image the caller can see answers 403.
 */
export function authorizeImage(req: ImageRequest, rule: string, image: ImageRecord): void {
  const target = imageTarget(req, image);
  if (req.allowed(rule, target)) return;
  if (rule === 'get_image' || !req.allowed('get_image', target)) throw imageNotFound(image.id);
  req.authorize(rule, target);
}
