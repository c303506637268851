/**
 * What a volume made from an image records of it (its `volume_image_metadata`): Glance's core
 * facts Cinder keeps (formats, sizes, checksum, name) and every image property of its own, as
 * Cinder copies them.
 */
export function volumeImageProperties(image: Record<string, unknown>): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const k of [
    'disk_format',
    'container_format',
    'min_disk',
    'min_ram',
    'size',
    'checksum',
    'image_name',
  ]) {
    const val = k === 'image_name' ? image.name : image[k];
    if (val !== undefined && val !== null) properties[k] = String(val);
  }
  for (const [k, val] of Object.entries(image)) {
    if (!GLANCE_CORE_ATTRIBUTES.has(k) && typeof val === 'string') properties[k] = val;
  }
  return properties;
}

/** Glance v2's own image attributes: every other top-level key of an image is a property. */
const GLANCE_CORE_ATTRIBUTES = new Set([
  'id',
  'name',
  'status',
  'visibility',
  'protected',
  'os_hidden',
  'owner',
  'tags',
  'created_at',
  'updated_at',
  'file',
  'schema',
  'self',
  'locations',
  'direct_url',
  'size',
  'virtual_size',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'disk_format',
  'container_format',
  'min_disk',
  'min_ram',
  'stores',
]);
