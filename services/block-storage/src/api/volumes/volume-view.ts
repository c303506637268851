import type { AttachmentRecord, VolumeRecord } from '../../db/records';
import type { Req } from '../cinder-request';

/** What a volume view needs besides the record. */
export interface VolumeViewContext {
  typeName: (id: string) => string | undefined;
  /** Whether a volume type has an encryption type (its volumes show `encrypted: true`). */
  typeEncrypted: (id: string) => boolean;
  attachments: (volumeId: string) => AttachmentRecord[];
  isAdmin: boolean;
}

function links(req: Req, projectId: string, id: string) {
  const base = `${req.baseUrl}`;
  return [
    { href: `${base}/v3/${projectId}/volumes/${id}`, rel: 'self' },
    { href: `${base}/${projectId}/volumes/${id}`, rel: 'bookmark' },
  ];
}

/** The summary form (`GET /volumes`). */
export function volumeSummaryView(req: Req, v: VolumeRecord) {
  return { id: v.id, links: links(req, v.project_id, v.id), name: v.name };
}

/** The API's status of a volume (`attaching` etc. as stored). */
export function volumeDetailView(req: Req, v: VolumeRecord, ctx: VolumeViewContext) {
  const mv = req.microversion;
  const attachments = ctx
    .attachments(v.id)
    .filter((a) => a.status === 'attached')
    .map((a) => ({
      server_id: a.instance_uuid,
      attachment_id: a.id,
      attached_at: a.attach_time,
      host_name: a.attached_host,
      volume_id: v.id,
      device: a.mountpoint,
      id: v.id,
    }));
  const view: Record<string, unknown> = {
    id: v.id,
    name: v.name,
    status: v.status,
    size: v.size,
    availability_zone: v.availability_zone,
    created_at: v.created_at,
    updated_at: v.updated_at ?? null,
    attachments,
    description: v.description,
    volume_type: ctx.typeName(v.volume_type_id) ?? null,
    snapshot_id: v.snapshot_id,
    source_volid: v.source_volid,
    metadata: visibleMetadata(v),
    links: links(req, v.project_id, v.id),
    user_id: v.user_id,
    bootable: String(v.bootable),
    encrypted: ctx.typeEncrypted(v.volume_type_id),
    replication_status: null,
    consistencygroup_id: v.consistencygroup_id,
    multiattach: v.multiattach,
    migration_status: v.migration_status,
    'os-vol-tenant-attr:tenant_id': v.project_id,
  };
  if (Object.keys(v.image_metadata).length) view.volume_image_metadata = v.image_metadata;
  if (ctx.isAdmin) {
    view['os-vol-host-attr:host'] = v.host;
    view['os-vol-mig-status-attr:migstat'] = v.migration_status;
    view['os-vol-mig-status-attr:name_id'] = null;
  }
  if (mv.atLeast('3.13')) view.group_id = v.group_id;
  if (mv.atLeast('3.21')) view.provider_id = v.provider_id;
  if (mv.atLeast('3.48')) {
    view.service_uuid = v.host ? serviceUuid(v.host) : null;
    view.shared_targets = false;
  }
  if (mv.atLeast('3.63')) view.volume_type_id = v.volume_type_id;
  if (mv.atLeast('3.65')) view.consumes_quota = true;
  if (mv.atLeast('3.69')) view.cluster_name = null;
  return view;
}

/** A stable UUID-shaped id for a volume service host (the service's uuid upstream). */
export function serviceUuid(host: string): string {
  const h = host.split('#')[0] ?? host;
  let x = 0n;
  for (const c of h) x = (x * 131n + BigInt(c.charCodeAt(0))) % 2n ** 128n;
  const hex = x.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The volume's metadata with the admin metadata users may see (`readonly`, `attached_mode`), as upstream shows it. */
export function visibleMetadata(v: VolumeRecord): Record<string, string> {
  const out = { ...v.metadata };
  for (const k of ['readonly', 'attached_mode']) {
    const value = v.admin_metadata[k];
    if (value !== undefined) out[k] = value;
  }
  return out;
}
