import type { ImageDocument } from '@nimbus/clients';
import type { ComputeRequest } from '../compute-request';
import { isoSeconds, nextLink, resourceLinks } from '../compute-view-helpers';

/** Glance v2's own image fields; every other key of an image is one of its properties. */
const BASE_FIELDS = new Set([
  'id',
  'name',
  'status',
  'visibility',
  'protected',
  'os_hidden',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'owner',
  'size',
  'virtual_size',
  'container_format',
  'disk_format',
  'created_at',
  'updated_at',
  'tags',
  'direct_url',
  'min_ram',
  'min_disk',
  'self',
  'file',
  'schema',
  'locations',
  'stores',
]);

/** An image's additional properties (Nova's `metadata`). */
export function imageProperties(image: ImageDocument): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(image)) if (!BASE_FIELDS.has(key)) properties[key] = value;
  return properties;
}

const STATUS: Record<string, string> = {
  active: 'ACTIVE',
  queued: 'SAVING',
  saving: 'SAVING',
  deleted: 'DELETED',
  pending_delete: 'DELETED',
  killed: 'ERROR',
};
const PROGRESS: Record<string, number> = { queued: 25, saving: 50, active: 100 };

function links(req: ComputeRequest, image: ImageDocument, imageEndpoint: string) {
  return [
    ...resourceLinks(req, 'images', image.id),
    {
      rel: 'alternate',
      type: 'application/vnd.openstack.image',
      href: `${imageEndpoint.replace(/\/$/, '')}/images/${image.id}`,
    },
  ];
}

/** The index view of an image: id, name and links. */
export function imageBasicView(req: ComputeRequest, image: ImageDocument, imageEndpoint: string) {
  return { id: image.id, name: image.name ?? null, links: links(req, image, imageEndpoint) };
}

/**
 * The detail view of an image, as Nova's images proxy shows Glance's: `minRam`, `minDisk`,
 * `metadata` (its properties), `status` in Nova's words with a `progress`, the size, and the
 * `server` a snapshot was made from.
 */
export function imageView(req: ComputeRequest, image: ImageDocument, imageEndpoint: string) {
  const metadata = imageProperties(image);
  const view: Record<string, unknown> = {
    id: image.id,
    name: image.name ?? null,
    minRam: Number(image.min_ram ?? 0) || 0,
    minDisk: Number(image.min_disk ?? 0) || 0,
    metadata,
    created: isoSeconds(image.created_at as string | undefined),
    updated: isoSeconds(image.updated_at as string | undefined),
    status: STATUS[image.status] ?? 'UNKNOWN',
    progress: PROGRESS[image.status] ?? 0,
    'OS-EXT-IMG-SIZE:size': image.size ?? 0,
    links: links(req, image, imageEndpoint),
  };
  const instanceUuid = metadata.instance_uuid;
  if (instanceUuid !== undefined && instanceUuid !== null)
    view.server = { id: instanceUuid, links: resourceLinks(req, 'servers', String(instanceUuid)) };
  const autoDiskConfig = metadata.auto_disk_config;
  if (autoDiskConfig !== undefined && autoDiskConfig !== null)
    view['OS-DCF:diskConfig'] = /^(1|t|true|on|y|yes)$/i.test(String(autoDiskConfig)) ? 'AUTO' : 'MANUAL';
  return view;
}

/** A list of images with its `images_links` next link when the page is full. */
export function imageListView(
  req: ComputeRequest,
  images: ImageDocument[],
  detail: boolean,
  imageEndpoint: string,
  limit: number,
) {
  const body: Record<string, unknown> = {
    images: images.map((i) => (detail ? imageView : imageBasicView)(req, i, imageEndpoint)),
  };
  if (limit && images.length === limit)
    body.images_links = nextLink(
      req,
      detail ? 'images/detail' : 'images',
      images[images.length - 1]!.id,
      limit,
    );
  return body;
}
