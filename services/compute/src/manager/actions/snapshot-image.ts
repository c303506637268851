import { RemoteServiceError } from '@nimbus/clients';
import type { Instance } from '../../db/instance-repository';
import type { CallerContext } from '../server-manager';

/** Glance's own fields: never copied from the base image as properties. */
const CORE_FIELDS = new Set([
  'id',
  'name',
  'status',
  'visibility',
  'protected',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'size',
  'virtual_size',
  'created_at',
  'updated_at',
  'file',
  'schema',
  'self',
  'owner',
  'direct_url',
  'locations',
  'tags',
  'min_ram',
  'min_disk',
  'disk_format',
  'container_format',
  'os_hidden',
  'stores',
  'os_glance_import_task',
  'os_glance_failed_import',
  'os_glance_importing_to_stores',
]);

/** Base image properties Nova never passes on to a snapshot (signatures, caching hints). */
const NOT_INHERITED = new Set([
  'cache_in_nova',
  'bittorrent',
  'img_signature_hash_method',
  'img_signature',
  'img_signature_key_type',
  'img_signature_certificate_uuid',
  // The base image's own snapshot bookkeeping describes another server.
  'instance_uuid',
  'image_type',
  'backup_type',
  'base_image_ref',
  'image_location',
  'image_state',
  'owner_id',
  'user_id',
]);

/** What a snapshot image says about itself, beside its name and the request's metadata. */
export interface SnapshotKind {
  imageType: 'snapshot' | 'backup';
  backupType?: string;
  /** Properties the request adds (createImage/createBackup `metadata`). */
  extra?: Record<string, string>;
}

/**
 * Makes the queued image record a snapshot of `i` uploads into, through the image API with the
 * caller's token (the image is the caller's project's, private), inheriting the base image's
 * formats, minimums and properties as Nova does, and recording `instance_uuid`, `user_id`,
 * `image_type`, `base_image_ref` (and `backup_type` for a backup).
 */
export async function createSnapshotImage(
  caller: CallerContext,
  i: Instance,
  name: string,
  kind: SnapshotKind,
): Promise<string> {
  let base: Record<string, unknown> = {};
  try {
    base = await caller.clients.image.getImage(i.imageRef);
  } catch (err) {
    // A base image deleted since the boot leaves the snapshot with defaults, as upstream.
    if (!(err instanceof RemoteServiceError && err.httpStatus === 404)) throw err;
  }
  const inherited = Object.fromEntries(
    Object.entries(base).filter(
      ([k, v]) => !CORE_FIELDS.has(k) && !NOT_INHERITED.has(k) && v !== null && typeof v !== 'object',
    ),
  );
  const body: Record<string, unknown> = {
    ...inherited,
    instance_uuid: i.uuid,
    user_id: caller.userId,
    image_type: kind.imageType,
    base_image_ref: i.imageRef,
    ...(kind.backupType !== undefined ? { backup_type: kind.backupType } : {}),
    // The request's metadata wins over the bookkeeping (a caller may set its own image_type).
    ...(kind.extra ?? {}),
    name,
    visibility: 'private',
    container_format: base.container_format ?? 'bare',
    disk_format: base.disk_format ?? 'raw',
    min_ram: Number(base.min_ram ?? 0),
    min_disk: Math.max(Number(base.min_disk ?? 0), i.flavor.root_gb),
  };
  const image = await caller.clients.image.createImage(body);
  return image.id;
}

/** Deletes an image made for a snapshot that will not happen (best effort). */
export async function dropSnapshotImage(caller: CallerContext, id: string): Promise<void> {
  try {
    await caller.clients.image.deleteImage(id);
  } catch {
    // The snapshot's own failure is what the caller reports.
  }
}
