/** Disk formats Glance accepts (`[image_format] disk_formats`). */
export const DISK_FORMATS = [
  'ami',
  'ari',
  'aki',
  'vhd',
  'vhdx',
  'vmdk',
  'raw',
  'qcow2',
  'vdi',
  'iso',
  'ploop',
];
/** Container formats Glance accepts (`[image_format] container_formats`). */
export const CONTAINER_FORMATS = ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed'];
/** Attributes only the service sets. */
export const READ_ONLY = [
  'status',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'size',
  'virtual_size',
  'created_at',
  'updated_at',
  'direct_url',
  'self',
  'file',
  'schema',
  'stores',
  'locations',
  'deleted',
  'deleted_at',
];
/** Attributes callers set, with their image-record fields. */
export const BASE_FIELDS: Record<string, string> = {
  name: 'name',
  visibility: 'visibility',
  protected: 'protected',
  os_hidden: 'osHidden',
  owner: 'owner',
  disk_format: 'diskFormat',
  container_format: 'containerFormat',
  min_disk: 'minDisk',
  min_ram: 'minRam',
  tags: 'tags',
  id: 'id',
};
/** Additional properties in this namespace belong to the service. */
export const RESERVED_PREFIX = 'os_glance';
