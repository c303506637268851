import type { ImageRecord } from '../../db/repositories/image-repository';
import { storedLocations } from '../../manager/image-data';

/** Glance's timestamps: seconds, `Z` (`2026-11-25T02:29:45Z`). */
export function glanceTime(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

/** Glance's image body: base attributes (nulls included), additional properties at the top. */
export function imageView(i: ImageRecord): Record<string, unknown> {
  const body: Record<string, unknown> = {
    ...i.properties,
    id: i.id,
    name: i.name,
    status: i.status,
    visibility: i.visibility,
    protected: i.protected,
    os_hidden: i.osHidden,
    checksum: i.checksum,
    os_hash_algo: i.osHashAlgo,
    os_hash_value: i.osHashValue,
    owner: i.owner,
    size: i.size,
    virtual_size: i.virtualSize,
    disk_format: i.diskFormat,
    container_format: i.containerFormat,
    min_disk: i.minDisk,
    min_ram: i.minRam,
    created_at: glanceTime(i.createdAt),
    updated_at: glanceTime(i.updatedAt),
    tags: i.tags,
    self: `/v2/images/${i.id}`,
    file: `/v2/images/${i.id}/file`,
    schema: '/v2/schemas/image',
  };
  const stores = storedLocations(i)
    .map((l) => l.store)
    .sort();
  if (stores.length) body.stores = stores.join(',');
  return body;
}
