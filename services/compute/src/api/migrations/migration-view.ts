import type { ApiRequest } from '@nimbus/http';
import type { MigrationRecord } from '../../db/migration-repository';
import { apiBase, isoMicros } from '../compute-view-helpers';

/** Live-migration statuses that are still under way (they get links at 2.23). */
export const IN_PROGRESS = new Set([
  'queued',
  'preparing',
  'running',
  'post-migrating',
  'accepted',
  'pre-migrating',
]);

/** A flavor id as the integer `*_instance_type_id` fields show it (null when not numeric). */
function typeId(flavorid: string | undefined): number | null {
  return flavorid !== undefined && /^\d+$/.test(flavorid) ? Number(flavorid) : null;
}

/** One migration as `GET /os-migrations` shows it, per microversion. */
export function migrationView(req: ApiRequest, m: MigrationRecord): Record<string, unknown> {
  const mv = req.microversion;
  const v: Record<string, unknown> = {
    id: m.id,
    status: m.status,
    instance_uuid: m.instanceUuid,
    source_node: m.sourceNode,
    source_compute: m.sourceCompute,
    dest_node: m.destNode,
    dest_compute: m.destCompute,
    dest_host: m.destHost,
    old_instance_type_id: typeId(m.oldFlavor.flavorid),
    new_instance_type_id: typeId(m.newFlavor.flavorid),
    created_at: isoMicros(m.createdAt),
    updated_at: isoMicros(m.updatedAt),
  };
  if (mv.atLeast('2.23')) {
    v.migration_type = m.migrationType;
    if (m.migrationType === 'live-migration' && IN_PROGRESS.has(m.status)) {
      const href = `servers/${m.instanceUuid}/migrations/${m.id}`;
      v.links = [
        { rel: 'self', href: `${apiBase(req)}/${href}` },
        { rel: 'bookmark', href: `${req.baseUrl}/${href}` },
      ];
    }
  }
  if (mv.atLeast('2.59')) v.uuid = m.uuid;
  if (mv.atLeast('2.80')) {
    v.user_id = m.userId;
    v.project_id = m.projectId;
  }
  return v;
}

/** One in-progress live migration as `GET /servers/{id}/migrations` shows it. */
export function serverMigrationView(req: ApiRequest, m: MigrationRecord): Record<string, unknown> {
  const v: Record<string, unknown> = {
    id: m.id,
    server_uuid: m.instanceUuid,
    status: m.status,
    source_node: m.sourceNode,
    source_compute: m.sourceCompute,
    dest_node: m.destNode,
    dest_compute: m.destCompute,
    dest_host: m.destHost,
    created_at: isoMicros(m.createdAt),
    updated_at: isoMicros(m.updatedAt),
    memory_total_bytes: null,
    memory_processed_bytes: null,
    memory_remaining_bytes: null,
    disk_total_bytes: null,
    disk_processed_bytes: null,
    disk_remaining_bytes: null,
  };
  if (req.microversion.atLeast('2.59')) v.uuid = m.uuid;
  if (req.microversion.atLeast('2.80')) {
    v.user_id = m.userId;
    v.project_id = m.projectId;
  }
  return v;
}
