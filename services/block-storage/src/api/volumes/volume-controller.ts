import { respond } from '@nimbus/http';
import type { VolumeRecord } from '../../db/records';
import { CinderInvalid, VolumeNotFound } from '../../manager/cinder-errors';
import {
  authorize,
  bodyOf,
  callerOf,
  checkMetadata,
  checkProject,
  page,
  parseBool,
  parseSort,
  q,
  type Req,
  sortRecords,
} from '../cinder-request';
import { listFilters } from '../list-filters';
import { sqlPage } from '../sql-page';
import { type VolumeViewContext, volumeDetailView, volumeSummaryView } from './volume-view';

const SORT_KEYS = [
  'id',
  'name',
  'status',
  'size',
  'created_at',
  'updated_at',
  'availability_zone',
  'bootable',
  'display_name',
  'volume_type',
];

/** What the volume views need: type names and attachments, loaded once per request. */
export async function viewContext(req: Req, volumeIds: string[]): Promise<VolumeViewContext> {
  const types = await req.services.types.store.list();
  const names = new Map(types.map((t) => [t.id, t.name]));
  const encrypted = new Set(types.filter((t) => t.encryption).map((t) => t.id));
  const attachments = await req.services.stores.attachments.byParent(volumeIds);
  return {
    typeName: (id) => names.get(id),
    typeEncrypted: (id) => encrypted.has(id),
    attachments: (volumeId) => attachments.filter((a) => a.volume_id === volumeId),
    isAdmin: callerOf(req).isAdmin,
  };
}

/** The create/update form: without the extended attributes upstream adds only on show and list. */
export function plainVolumeView(req: Req, v: VolumeRecord, ctx: VolumeViewContext) {
  const view = volumeDetailView(req, v, { ...ctx, isAdmin: false });
  delete view['os-vol-tenant-attr:tenant_id'];
  delete view.volume_image_metadata;
  return view;
}

async function listed(req: Req) {
  checkProject(req);
  // `/volumes/` names a volume with an empty id (upstream's router), not the collection.
  if (req.path.endsWith('/')) throw new VolumeNotFound('');
  const caller = callerOf(req);
  authorize(req, 'volume:get_all');
  const allTenants = q(req, 'all_tenants') !== undefined && parseBool(q(req, 'all_tenants'), 'all_tenants');
  const keys = parseSort(req, SORT_KEYS);
  const projectId = caller.isAdmin && allTenants ? q(req, 'project_id') : caller.projectId;
  const inSql = await sqlPage(
    req,
    req.services.stores.volumes,
    keys,
    projectId,
    (m) => new VolumeNotFound(m),
  );
  if (inSql) return inSql;
  const names = new Map((await req.services.types.store.list()).map((t) => [t.id, t.name]));
  let items = await req.services.volumes.list(
    caller,
    allTenants,
    caller.isAdmin ? q(req, 'project_id') : undefined,
  );
  const filters = listFilters<VolumeRecord>(req, {
    name: (v) => v.name,
    status: (v) => v.status,
    metadata: (v) => v.metadata,
    bootable: (v) => v.bootable,
    availability_zone: (v) => v.availability_zone,
    migration_status: (v) => v.migration_status,
    group_id: (v) => v.group_id,
    volume_type: (v) => names.get(v.volume_type_id) ?? v.volume_type_id,
    volume_type_id: (v) => v.volume_type_id,
    size: (v) => v.size,
    id: (v) => v.id,
    user_id: (v) => v.user_id,
    multiattach: (v) => v.multiattach,
    snapshot_id: (v) => v.snapshot_id,
    source_volid: (v) => v.source_volid,
    created_at: (v) => v.created_at,
    updated_at: (v) => v.updated_at,
    image_metadata: (v) => v.image_metadata,
    volume_image_metadata: (v) => v.image_metadata,
    host: (v) => v.host,
    reference: (v) => v.provider_location,
  });
  items = items.filter((v) => filters.every((f) => f(v)));
  items = sortRecords(items, keys, (v, k) => {
    if (k === 'display_name') return v.name;
    if (k === 'volume_type') return names.get(v.volume_type_id);
    return (v as unknown as Record<string, unknown>)[k];
  });
  const total = items.length;
  const p = page(req, items, req.services.options.maxLimit, (m) => new VolumeNotFound(m));
  return { p, total };
}

function withCount(req: Req): boolean {
  const v = q(req, 'with_count');
  return req.microversion.atLeast('3.45') && v !== undefined && parseBool(v, 'with_count');
}

/** `GET /volumes`. */
export async function listVolumes(req: Req) {
  const { p, total } = await listed(req);
  return {
    volumes: p.items.map((v) => volumeSummaryView(req, v)),
    ...(p.next ? { volumes_links: [{ href: p.next, rel: 'next' }] } : {}),
    ...(withCount(req) ? { count: total } : {}),
  };
}

/** `GET /volumes/detail`. */
export async function listVolumesDetail(req: Req) {
  const { p, total } = await listed(req);
  const ctx = await viewContext(
    req,
    p.items.map((v) => v.id),
  );
  return {
    volumes: p.items.map((v) => volumeDetailView(req, v, ctx)),
    ...(p.next ? { volumes_links: [{ href: p.next, rel: 'next' }] } : {}),
    ...(withCount(req) ? { count: total } : {}),
  };
}

/** `GET /volumes/summary` (3.12; metadata at 3.36). */
export async function volumeSummary(req: Req) {
  checkProject(req);
  const caller = callerOf(req);
  authorize(req, 'volume:get_all_volume_summary');
  const allTenants = q(req, 'all_tenants') !== undefined && parseBool(q(req, 'all_tenants'), 'all_tenants');
  const items = await req.services.volumes.list(caller, allTenants);
  const summary: Record<string, unknown> = {
    total_size: items.reduce((n, v) => n + v.size, 0),
    total_count: items.length,
  };
  if (req.microversion.atLeast('3.36')) {
    const metadata: Record<string, string[]> = {};
    for (const v of items) {
      for (const [k, val] of Object.entries(v.metadata)) {
        metadata[k] ??= [];
        if (!metadata[k].includes(val)) metadata[k].push(val);
      }
    }
    summary.metadata = Object.fromEntries(
      Object.entries(metadata).map(([k, vals]) => [k, vals.length === 1 ? vals[0] : vals]),
    );
  }
  return { 'volume-summary': summary };
}

/** `GET /volumes/{id}`. */
export async function showVolume(req: Req) {
  checkProject(req);
  const v = await req.services.volumes.get(callerOf(req), String(req.params.volume_id));
  authorize(req, 'volume:get', v.project_id);
  return { volume: volumeDetailView(req, v, await viewContext(req, [v.id])) };
}

/** `POST /volumes` (202). */
export async function createVolume(req: Req) {
  checkProject(req);
  authorize(req, 'volume:create');
  const body = bodyOf<Record<string, unknown>>(req, 'volume');
  const hints = (req.body as Record<string, unknown>)['OS-SCH-HNT:scheduler_hints'];
  const name = body.name ?? body.display_name;
  const description = body.description ?? body.display_description;
  for (const [k, v] of [
    ['name', name],
    ['description', description],
  ] as const) {
    if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > 255)) {
      throw new CinderInvalid(
        `Invalid input for field/attribute ${k}. Value: ${String(v)}. It must be a string up to 255 characters.`,
      );
    }
  }
  if (body.imageRef !== undefined && body.imageRef !== null && typeof body.imageRef !== 'string') {
    throw new CinderInvalid('Invalid input for field/attribute imageRef.');
  }
  if (body.multiattach !== undefined && typeof body.multiattach !== 'boolean') {
    parseBool(body.multiattach, 'multiattach');
  }
  const v = await req.services.volumes.create(
    callerOf(req),
    {
      size: body.size,
      name: (name as string | undefined) ?? null,
      description: (description as string | undefined) ?? null,
      volume_type: (body.volume_type as string | undefined) ?? null,
      availability_zone: (body.availability_zone as string | undefined) ?? null,
      snapshot_id: (body.snapshot_id as string | undefined) ?? null,
      source_volid: (body.source_volid as string | undefined) ?? null,
      imageRef: ((body.imageRef ?? body.image_id) as string | undefined) ?? null,
      backup_id: req.microversion.atLeast('3.47') ? ((body.backup_id as string | undefined) ?? null) : null,
      metadata: checkMetadata(body.metadata),
      multiattach: body.multiattach === undefined ? false : parseBool(body.multiattach, 'multiattach'),
      consistencygroup_id: (body.consistencygroup_id as string | undefined) ?? null,
      group_id: req.microversion.atLeast('3.13') ? ((body.group_id as string | undefined) ?? null) : null,
    },
    hints && typeof hints === 'object' ? (hints as Record<string, unknown>) : {},
  );
  return respond(202, { volume: plainVolumeView(req, v, await viewContext(req, [v.id])) });
}

/** `PUT /volumes/{id}`. */
export async function updateVolume(req: Req) {
  checkProject(req);
  const caller = callerOf(req);
  const current = await req.services.volumes.get(caller, String(req.params.volume_id));
  authorize(req, 'volume:update', current.project_id);
  const body = bodyOf<Record<string, unknown>>(req, 'volume');
  const allowed = ['name', 'description', 'display_name', 'display_description', 'metadata'];
  const keys = Object.keys(body);
  if (!keys.length || keys.some((k) => !allowed.includes(k))) {
    throw new CinderInvalid(`Invalid input received: volume update accepts ${allowed.join(', ')}.`);
  }
  const name = body.name ?? body.display_name;
  const description = body.description ?? body.display_description;
  for (const [k, val] of [
    ['name', name],
    ['description', description],
  ] as const) {
    if (val !== undefined && val !== null && (typeof val !== 'string' || val.length > 255)) {
      throw new CinderInvalid(`Invalid input for field/attribute ${k}.`);
    }
  }
  const v = await req.services.volumes.update(caller, current.id, {
    ...(name !== undefined ? { name: name as string | null } : {}),
    ...(description !== undefined ? { description: description as string | null } : {}),
    ...(body.metadata !== undefined ? { metadata: checkMetadata(body.metadata) } : {}),
  });
  return { volume: plainVolumeView(req, v, await viewContext(req, [v.id])) };
}

/** `DELETE /volumes/{id}` (`cascade`, `force` at 3.23). */
export async function deleteVolume(req: Req) {
  checkProject(req);
  const caller = callerOf(req);
  const v = await req.services.volumes.get(caller, String(req.params.volume_id));
  authorize(req, 'volume:delete', v.project_id);
  const cascade = q(req, 'cascade') !== undefined && parseBool(q(req, 'cascade'), 'cascade');
  const force =
    req.microversion.atLeast('3.23') && q(req, 'force') !== undefined && parseBool(q(req, 'force'), 'force');
  if (force) authorize(req, 'volume:force_delete', v.project_id);
  await req.services.volumes.delete(caller, v.id, { cascade, force });
  return respond(202);
}

/** `PUT` or `DELETE` on `/volumes` (an empty volume id): 404, as upstream. */
export function volumeIdMissing(req: Req) {
  checkProject(req);
  throw new VolumeNotFound('');
}
