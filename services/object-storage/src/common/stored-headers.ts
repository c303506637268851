/** Headers an object keeps from its PUT besides user metadata (`X-Object-Meta-*`) and sysmeta. */
export const OBJECT_STORED_HEADERS = [
  'content-disposition',
  'content-encoding',
  'content-language',
  'x-delete-at',
  'x-object-manifest',
  'x-static-large-object',
  'cache-control',
  'expires',
];

/** Container settings kept beside its metadata: ACLs, sync and versioning. */
export const CONTAINER_SETTINGS = [
  'x-container-read',
  'x-container-write',
  'x-container-sync-to',
  'x-container-sync-key',
  'x-versions-location',
  'x-history-location',
];
