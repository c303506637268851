/** Statuses from which a volume may be deleted (upstream's `delete` conditions). */
export const DELETABLE = ['available', 'error', 'error_restoring', 'error_extending', 'error_managing'];

/** `migration_status` values of a volume no migration is moving (upstream's AVAILABLE_MIGRATION_STATUS). */
export const SETTLED_MIGRATION = ['deleting', 'error', 'success'];

/** Every volume status an admin may set with os-reset_status. */
export const VOLUME_STATUSES = [
  'creating',
  'available',
  'reserved',
  'attaching',
  'detaching',
  'in-use',
  'maintenance',
  'deleting',
  'awaiting-transfer',
  'error',
  'error_deleting',
  'backing-up',
  'restoring-backup',
  'error_backing-up',
  'error_restoring',
  'error_extending',
  'downloading',
  'uploading',
  'retyping',
  'extending',
  'error_managing',
  'managing',
];

/** Attach statuses an admin may set. */
export const ATTACH_STATUSES = ['attached', 'detached'];

/** Snapshot statuses an admin may set. */
export const SNAPSHOT_STATUSES = [
  'creating',
  'available',
  'deleting',
  'error',
  'error_deleting',
  'unmanaging',
  'backing-up',
  'restoring',
];

/** Backup statuses an admin may set (upstream allows only these two). */
export const BACKUP_RESET_STATUSES = ['available', 'error'];
