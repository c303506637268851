import type { BaseRecord } from './record-store';
import type { BackupRecordRow, GroupRecord, SnapshotRecord, VolumeRecord } from './records';

/** One counter a record adds to: `scope` is `project:<id>` or `host:<host@backend#pool>`. */
export interface UsageShare {
  scope: string;
  resource: string;
  amount: number;
}

/** What a record of some kind adds to the usage counters while it exists. */
export type UsageOf<T> = (record: T) => UsageShare[];

export const projectScope = (projectId: string) => `project:${projectId}`;
export const hostScope = (host: string) => `host:${host}`;

/**
 * Per-type resources are kept by type id (a type may be renamed); the quota manager names them
 * `volumes_<type name>` when it reads them.
 */
export const typedResource = (resource: string, typeId: string) => `${resource}@${typeId}`;

export const volumeUsage: UsageOf<VolumeRecord> = (v) => {
  const p = projectScope(v.project_id);
  const shares: UsageShare[] = [
    { scope: p, resource: 'volumes', amount: 1 },
    { scope: p, resource: 'gigabytes', amount: v.size },
    { scope: p, resource: typedResource('volumes', v.volume_type_id), amount: 1 },
    { scope: p, resource: typedResource('gigabytes', v.volume_type_id), amount: v.size },
  ];
  if (v.host) {
    shares.push({ scope: hostScope(v.host), resource: 'volumes', amount: 1 });
    shares.push({ scope: hostScope(v.host), resource: 'gigabytes', amount: v.size });
  }
  return shares;
};

export const snapshotUsage: UsageOf<SnapshotRecord> = (s) => {
  const p = projectScope(s.project_id);
  return [
    { scope: p, resource: 'snapshots', amount: 1 },
    { scope: p, resource: 'gigabytes', amount: s.volume_size },
    { scope: p, resource: typedResource('snapshots', s.volume_type_id), amount: 1 },
    { scope: p, resource: typedResource('gigabytes', s.volume_type_id), amount: s.volume_size },
  ];
};

export const backupUsage: UsageOf<BackupRecordRow> = (b) => [
  { scope: projectScope(b.project_id), resource: 'backups', amount: 1 },
  { scope: projectScope(b.project_id), resource: 'backup_gigabytes', amount: b.size },
];

export const groupUsage: UsageOf<GroupRecord> = (g) => [
  { scope: projectScope(g.project_id), resource: 'groups', amount: 1 },
];

/** The counters' change when `before` becomes `after` (either may be absent), zero changes left out. */
export function usageDelta<T extends BaseRecord>(
  usageOf: UsageOf<T>,
  before: T | undefined,
  after: T | undefined,
): UsageShare[] {
  const sum = new Map<string, UsageShare>();
  const add = (shares: UsageShare[], sign: number) => {
    for (const s of shares) {
      const key = `${s.scope}\u0000${s.resource}`;
      const cur = sum.get(key) ?? { scope: s.scope, resource: s.resource, amount: 0 };
      cur.amount += sign * s.amount;
      sum.set(key, cur);
    }
  };
  if (before) add(usageOf(before), -1);
  if (after) add(usageOf(after), 1);
  return [...sum.values()].filter((s) => s.amount !== 0);
}

/** The kinds whose records count, with their usage and the parent id kept in `parent_id`. */
export const COUNTED_KINDS: Record<string, UsageOf<never>> = {
  volume: volumeUsage as UsageOf<never>,
  snapshot: snapshotUsage as UsageOf<never>,
  backup: backupUsage as UsageOf<never>,
  group: groupUsage as UsageOf<never>,
};

/** The record a child kind hangs from (its volume), kept in the indexed `parent_id` column. */
export const PARENT_OF: Record<string, (record: Record<string, unknown>) => string | null> = {
  snapshot: (r) => (r.volume_id as string | undefined) ?? null,
  backup: (r) => (r.volume_id as string | undefined) ?? null,
  attachment: (r) => (r.volume_id as string | undefined) ?? null,
  transfer: (r) => (r.volume_id as string | undefined) ?? null,
};
