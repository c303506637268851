import { respond } from '@nimbus/http';
import type { SnapshotRecord } from '../../db/records';
import { CinderInvalid, CinderNotFound, VolumeNotFound } from '../../manager/cinder-errors';
import { SNAPSHOT_STATUSES } from '../../manager/volume-states';
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
import { SQL_FILTERS, sqlPage } from '../sql-page';

/** The snapshot view; `detail` adds the extended attributes (show and detail lists). */
export function snapshotView(req: Req, s: SnapshotRecord, detail: boolean) {
  const view: Record<string, unknown> = {
    id: s.id,
    name: s.name,
    description: s.description,
    status: s.status,
    size: s.volume_size,
    volume_id: s.volume_id,
    metadata: s.metadata,
    created_at: s.created_at,
    updated_at: s.updated_at ?? null,
  };
  if (detail) {
    view['os-extended-snapshot-attributes:progress'] = s.progress;
    view['os-extended-snapshot-attributes:project_id'] = s.project_id;
  }
  const mv = req.microversion;
  if (mv.atLeast('3.14')) view.group_snapshot_id = s.group_snapshot_id;
  if (mv.atLeast('3.41')) view.user_id = s.user_id;
  if (mv.atLeast('3.65')) view.consumes_quota = true;
  return view;
}

const SORT_KEYS = ['id', 'name', 'display_name', 'status', 'size', 'created_at', 'updated_at', 'volume_id'];

async function listed(req: Req) {
  checkProject(req);
  authorize(req, 'volume:get_all_snapshots');
  const caller = callerOf(req);
  const all = q(req, 'all_tenants') !== undefined && parseBool(q(req, 'all_tenants'), 'all_tenants');
  const keys = parseSort(req, SORT_KEYS);
  const inSql = await sqlPage(
    req,
    req.services.stores.snapshots,
    keys,
    caller.isAdmin && all ? q(req, 'project_id') : caller.projectId,
    (m) => new CinderNotFound('Snapshot', m),
    { ...SQL_FILTERS, volume_id: 'parent_id' },
  );
  if (inSql) return inSql;
  let items = await req.services.snapshots.list(
    caller,
    all,
    caller.isAdmin ? q(req, 'project_id') : undefined,
  );
  const filters = listFilters<SnapshotRecord>(req, {
    name: (s) => s.name,
    status: (s) => s.status,
    volume_id: (s) => s.volume_id,
    metadata: (s) => s.metadata,
    group_snapshot_id: (s) => s.group_snapshot_id,
    availability_zone: () => req.services.options.zone,
  });
  items = items.filter((s) => filters.every((f) => f(s)));
  items = sortRecords(items, keys, (s, k) =>
    k === 'size'
      ? s.volume_size
      : k === 'display_name'
        ? s.name
        : (s as unknown as Record<string, unknown>)[k],
  );
  const total = items.length;
  return {
    p: page(req, items, req.services.options.maxLimit, (m) => new CinderNotFound('Snapshot', m)),
    total,
  };
}

function listBody(req: Req, p: { items: SnapshotRecord[]; next?: string }, total: number, detail: boolean) {
  const count =
    req.microversion.atLeast('3.45') &&
    q(req, 'with_count') !== undefined &&
    parseBool(q(req, 'with_count'), 'with_count');
  return {
    snapshots: p.items.map((s) => snapshotView(req, s, detail)),
    ...(p.next ? { snapshots_links: [{ href: p.next, rel: 'next' }] } : {}),
    ...(count ? { count: total } : {}),
  };
}

/** `GET /snapshots`. */
export async function listSnapshots(req: Req) {
  const { p, total } = await listed(req);
  return listBody(req, p, total, false);
}

/** `GET /snapshots/detail`. */
export async function listSnapshotsDetail(req: Req) {
  const { p, total } = await listed(req);
  return listBody(req, p, total, true);
}

/** `GET /snapshots/{id}`. */
export async function showSnapshot(req: Req) {
  checkProject(req);
  const s = await req.services.snapshots.get(callerOf(req), String(req.params.snapshot_id));
  authorize(req, 'volume:get_snapshot', s.project_id);
  return { snapshot: snapshotView(req, s, true) };
}

/** `POST /snapshots` (202). */
export async function createSnapshot(req: Req) {
  checkProject(req);
  authorize(req, 'volume:create_snapshot');
  const body = bodyOf<Record<string, unknown>>(req, 'snapshot');
  if (typeof body.volume_id !== 'string') throw new VolumeNotFound(String(body.volume_id ?? ''));
  const name = body.name ?? body.display_name;
  const description = body.description ?? body.display_description;
  for (const v of [name, description]) {
    if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > 255)) {
      throw new CinderInvalid('Invalid input received: name and description must be strings up to 255.');
    }
  }
  const force = body.force === undefined ? false : parseBool(body.force, 'force');
  const s = await req.services.snapshots.create(callerOf(req), {
    volume_id: body.volume_id,
    name: (name as string | undefined) ?? null,
    description: (description as string | undefined) ?? null,
    force,
    metadata: checkMetadata(body.metadata),
  });
  return respond(202, { snapshot: snapshotView(req, s, false) });
}

/** `PUT /snapshots/{id}`. */
export async function updateSnapshot(req: Req) {
  checkProject(req);
  const current = await req.services.snapshots.get(callerOf(req), String(req.params.snapshot_id));
  authorize(req, 'volume:update_snapshot', current.project_id);
  const body = bodyOf<Record<string, unknown>>(req, 'snapshot');
  const name = body.name ?? body.display_name;
  const description = body.description ?? body.display_description;
  if (name === undefined && description === undefined)
    throw new CinderInvalid('Invalid input received: nothing to update.');
  const s = await req.services.snapshots.update(callerOf(req), current.id, {
    ...(name !== undefined ? { name: name as string | null } : {}),
    ...(description !== undefined ? { description: description as string | null } : {}),
  });
  return { snapshot: snapshotView(req, s, false) };
}

/** `DELETE /snapshots/{id}` (202). */
export async function deleteSnapshot(req: Req) {
  checkProject(req);
  const s = await req.services.snapshots.get(callerOf(req), String(req.params.snapshot_id));
  authorize(req, 'volume:delete_snapshot', s.project_id);
  await req.services.snapshots.delete(callerOf(req), s.id);
  return respond(202);
}

/** `POST /snapshots/{id}/action`: reset status, force delete, update progress/status, unmanage. */
export async function snapshotAction(req: Req) {
  checkProject(req);
  const caller = callerOf(req);
  const s = await req.services.snapshots.get(caller, String(req.params.snapshot_id));
  const body = (req.body ?? {}) as Record<string, any>;
  if (body['os-reset_status']) {
    authorize(req, 'volume_extension:snapshot_admin_actions:reset_status', s.project_id);
    const status = String(body['os-reset_status'].status ?? '').toLowerCase();
    if (!SNAPSHOT_STATUSES.includes(status))
      throw new CinderInvalid(`Invalid input received: Must specify a valid status (${status}).`);
    await req.services.snapshots.resetStatus(s.id, status);
    return respond(202);
  }
  if ('os-force_delete' in body) {
    authorize(req, 'volume_extension:snapshot_admin_actions:force_delete', s.project_id);
    await req.services.snapshots.delete(caller, s.id, { force: true });
    return respond(202);
  }
  if (body['os-update_snapshot_status']) {
    authorize(req, 'snapshot_extension:snapshot_actions:update_snapshot_status', s.project_id);
    const u = body['os-update_snapshot_status'];
    const allowed: Record<string, string[]> = {
      creating: ['available', 'error'],
      deleting: ['deleted', 'error_deleting'],
    };
    if (!allowed[s.status]?.includes(String(u.status))) {
      throw new CinderInvalid(
        `Provided snapshot status ${String(u.status)} not allowed for snapshot with status ${s.status}.`,
      );
    }
    await req.services.stores.snapshots.update(s.id, () => ({
      status: String(u.status),
      ...(u.progress !== undefined ? { progress: String(u.progress) } : {}),
    }));
    return respond(202);
  }
  if ('os-unmanage' in body) {
    authorize(req, 'snapshot_extension:snapshot_unmanage', s.project_id);
    await req.services.snapshots.delete(caller, s.id, { unmanage: true });
    return respond(202);
  }
  throw new CinderInvalid('Invalid request body: unknown snapshot action.');
}

async function snapshotOf(req: Req, action: string) {
  checkProject(req);
  const s = await req.services.snapshots.get(callerOf(req), String(req.params.snapshot_id));
  authorize(req, action, s.project_id);
  return s;
}

/** `GET /snapshots/{id}/metadata`. */
export async function listSnapshotMetadata(req: Req) {
  return { metadata: (await snapshotOf(req, 'volume:get_snapshot_metadata')).metadata };
}

async function setSnapshotMetadata(req: Req, replace: boolean) {
  const s = await snapshotOf(req, 'volume:update_snapshot_metadata');
  const b = req.body as Record<string, unknown> | undefined;
  if (!b || !('metadata' in b)) throw new CinderInvalid('Malformed request body: metadata is missing.');
  const md = checkMetadata(b.metadata);
  const metadata = replace ? md : { ...s.metadata, ...md };
  await req.services.snapshots.update(callerOf(req), s.id, { metadata });
  return { metadata };
}

/** `POST /snapshots/{id}/metadata`. */
export const createSnapshotMetadata = (req: Req) => setSnapshotMetadata(req, false);
/** `PUT /snapshots/{id}/metadata`. */
export const replaceSnapshotMetadata = (req: Req) => setSnapshotMetadata(req, true);

/** `GET /snapshots/{id}/metadata/{key}`. */
export async function showSnapshotMetadataKey(req: Req) {
  const s = await snapshotOf(req, 'volume:get_snapshot_metadata');
  const key = String(req.params.key);
  if (!(key in s.metadata)) throw new CinderNotFound('Snapshot metadata', `${key} for snapshot ${s.id}`);
  return { meta: { [key]: s.metadata[key] } };
}

/** `PUT /snapshots/{id}/metadata/{key}`. */
export async function updateSnapshotMetadataKey(req: Req) {
  const s = await snapshotOf(req, 'volume:update_snapshot_metadata');
  const meta = checkMetadata((req.body as Record<string, unknown> | undefined)?.meta);
  const key = String(req.params.key);
  if (Object.keys(meta).length !== 1) throw new CinderInvalid('Request body contains too many items.');
  if (!(key in meta)) throw new CinderInvalid('Request body and URI mismatch');
  await req.services.snapshots.update(callerOf(req), s.id, { metadata: { ...s.metadata, ...meta } });
  return { meta };
}

/** `DELETE /snapshots/{id}/metadata/{key}` (200). */
export async function deleteSnapshotMetadataKey(req: Req) {
  const s = await snapshotOf(req, 'volume:delete_snapshot_metadata');
  const key = String(req.params.key);
  if (!(key in s.metadata)) throw new CinderNotFound('Snapshot metadata', `${key} for snapshot ${s.id}`);
  const metadata = { ...s.metadata };
  delete metadata[key];
  await req.services.snapshots.update(callerOf(req), s.id, { metadata });
  return respond(200);
}
