/** Nova's vm_state values. */
export const VmState = {
  ACTIVE: 'active',
  BUILDING: 'building',
  PAUSED: 'paused',
  SUSPENDED: 'suspended',
  STOPPED: 'stopped',
  RESCUED: 'rescued',
  RESIZED: 'resized',
  SOFT_DELETED: 'soft-delete',
  DELETED: 'deleted',
  ERROR: 'error',
  SHELVED: 'shelved',
  SHELVED_OFFLOADED: 'shelved_offloaded',
} as const;

/** Nova's task_state values used here. */
export const TaskState = {
  SCHEDULING: 'scheduling',
  NETWORKING: 'networking',
  BLOCK_DEVICE_MAPPING: 'block_device_mapping',
  SPAWNING: 'spawning',
  POWERING_OFF: 'powering-off',
  POWERING_ON: 'powering-on',
  REBOOTING: 'rebooting',
  REBOOTING_HARD: 'rebooting_hard',
  PAUSING: 'pausing',
  UNPAUSING: 'unpausing',
  SUSPENDING: 'suspending',
  RESUMING: 'resuming',
  DELETING: 'deleting',
  RESIZE_PREP: 'resize_prep',
  REBUILDING: 'rebuilding',
  UPDATING_PASSWORD: 'updating_password',
  REBUILD_SPAWNING: 'rebuild_spawning',
  RESIZE_MIGRATING: 'resize_migrating',
  RESIZE_MIGRATED: 'resize_migrated',
  RESIZE_FINISH: 'resize_finish',
  RESIZE_REVERTING: 'resize_reverting',
  MIGRATING: 'migrating',
  RESCUING: 'rescuing',
  UNRESCUING: 'unrescuing',
  SHELVING: 'shelving',
  SHELVING_IMAGE_UPLOADING: 'shelving_image_uploading',
  SHELVING_OFFLOADING: 'shelving_offloading',
  UNSHELVING: 'unshelving',
  SPAWNING_UNSHELVE: 'spawning',
  IMAGE_SNAPSHOT: 'image_snapshot',
  IMAGE_UPLOADING: 'image_uploading',
  IMAGE_BACKUP: 'image_backup',
} as const;

const byVmState: Record<string, string> = {
  active: 'ACTIVE',
  building: 'BUILD',
  paused: 'PAUSED',
  suspended: 'SUSPENDED',
  stopped: 'SHUTOFF',
  rescued: 'RESCUE',
  resized: 'VERIFY_RESIZE',
  'soft-delete': 'SOFT_DELETED',
  deleted: 'DELETED',
  error: 'ERROR',
  shelved: 'SHELVED',
  shelved_offloaded: 'SHELVED_OFFLOADED',
};

/** Task states that show another status while the server is active or stopped (upstream's table). */
const byTaskState: Record<string, string> = {
  rebooting: 'REBOOT',
  reboot_pending: 'REBOOT',
  reboot_started: 'REBOOT',
  rebooting_hard: 'HARD_REBOOT',
  reboot_pending_hard: 'HARD_REBOOT',
  reboot_started_hard: 'HARD_REBOOT',
  rebuilding: 'REBUILD',
  rebuild_block_device_mapping: 'REBUILD',
  rebuild_spawning: 'REBUILD',
  migrating: 'MIGRATING',
  resize_prep: 'RESIZE',
  resize_migrating: 'RESIZE',
  resize_migrated: 'RESIZE',
  resize_finish: 'RESIZE',
  resize_reverting: 'REVERT_RESIZE',
  updating_password: 'PASSWORD',
};

/** The API's `status` for a vm_state and task_state, as Nova's state-to-status mapping. */
export function serverStatus(vmState: string, taskState: string | null): string {
  if (taskState && (vmState === 'active' || vmState === 'stopped' || vmState === 'resized')) {
    const s = byTaskState[taskState];
    if (s && !(vmState === 'stopped' && (s === 'REBOOT' || s === 'HARD_REBOOT'))) return s;
    if (s === 'HARD_REBOOT') return s;
  }
  return byVmState[vmState] ?? 'UNKNOWN';
}

/** The vm_states that a status filter names (list ?status=). */
export function vmStatesForStatus(status: string): { vmStates: string[]; taskStates?: string[] } | undefined {
  const s = status.toUpperCase();
  const vmStates = Object.entries(byVmState)
    .filter(([, v]) => v === s)
    .map(([k]) => k);
  const taskStates = Object.entries(byTaskState)
    .filter(([, v]) => v === s)
    .map(([k]) => k);
  if (taskStates.length) return { vmStates: ['active', 'stopped', 'resized'], taskStates };
  return vmStates.length ? { vmStates } : undefined;
}
