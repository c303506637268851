import { respond } from '@nimbus/http';
import type { GroupRecord, GroupSnapshotRecord, GroupTypeRecord } from '../../db/records';
import { CinderInvalid, CinderNotFound } from '../../manager/cinder-errors';
import { NotImplementedError } from '@nimbus/errors';
import {
  authorize,
  bodyOf,
  callerOf,
  checkProject,
  parseBool,
  parseSort,
  q,
  type Req,
  sortRecords,
} from '../cinder-request';

function typeView(t: GroupTypeRecord) {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    is_public: t.is_public,
    group_specs: t.group_specs,
  };
}

function specsOf(body: unknown): Record<string, string> {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new CinderInvalid('Invalid input received: group_specs must be an object.');
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

/** `GET /group_types`. */
export async function listGroupTypes(req: Req) {
  checkProject(req);
  const raw = q(req, 'is_public');
  // As upstream: absent means public ones only, `None` means all (admins), else the given value.
  const isPublic =
    raw === undefined ? true : raw.toLowerCase() === 'none' ? undefined : parseBool(raw, 'is_public');
  let types = await req.services.groups.listTypes(callerOf(req));
  if (callerOf(req).isAdmin && isPublic !== undefined) types = types.filter((t) => t.is_public === isPublic);
  types = sortRecords(
    types,
    parseSort(req, ['id', 'name', 'created_at', 'is_public', 'description']),
    (t, k) => (t as unknown as Record<string, unknown>)[k],
  );
  return { group_types: types.map(typeView) };
}

/** `GET /group_types/default`: none is configured (404, as upstream without `default_group_type`). */
export function showDefaultGroupType(req: Req) {
  checkProject(req);
  throw new CinderNotFound('Default group type', 'default');
}

/** `GET /group_types/{id}`. */
export async function showGroupType(req: Req) {
  checkProject(req);
  return {
    group_type: typeView(await req.services.groups.getType(callerOf(req), String(req.params.group_type_id))),
  };
}

/** `POST /group_types` (202). */
export async function createGroupType(req: Req) {
  checkProject(req);
  authorize(req, 'group:group_types_manage');
  const body = bodyOf<Record<string, unknown>>(req, 'group_type');
  if (typeof body.name !== 'string' || body.name.length > 255)
    throw new CinderInvalid('Invalid input received: name must be a string.');
  const t = await req.services.groups.createType({
    name: body.name,
    description: (body.description as string | undefined) ?? null,
    is_public: body.is_public === undefined ? true : parseBool(body.is_public, 'is_public'),
    group_specs: body.group_specs === undefined ? {} : specsOf(body.group_specs),
  });
  return respond(202, { group_type: typeView(t) });
}

/** `PUT /group_types/{id}`. */
export async function updateGroupType(req: Req) {
  checkProject(req);
  authorize(req, 'group:group_types_manage');
  const body = bodyOf<Record<string, unknown>>(req, 'group_type');
  const t = await req.services.groups.updateType(callerOf(req), String(req.params.group_type_id), {
    ...(body.name !== undefined ? { name: String(body.name) } : {}),
    ...(body.description !== undefined ? { description: body.description as string | null } : {}),
    ...(body.is_public !== undefined ? { is_public: parseBool(body.is_public, 'is_public') } : {}),
  });
  return { group_type: typeView(t) };
}

/** `DELETE /group_types/{id}` (202). */
export async function deleteGroupType(req: Req) {
  checkProject(req);
  authorize(req, 'group:group_types_manage');
  await req.services.groups.deleteType(callerOf(req), String(req.params.group_type_id));
  return respond(202);
}

/** `GET /group_types/{id}/group_specs`. */
export async function listGroupSpecs(req: Req) {
  checkProject(req);
  authorize(req, 'group:access_group_types_specs');
  return {
    group_specs: (await req.services.groups.getType(callerOf(req), String(req.params.group_type_id)))
      .group_specs,
  };
}

/** `POST /group_types/{id}/group_specs` (202). */
export async function createGroupSpecs(req: Req) {
  checkProject(req);
  authorize(req, 'group:group_types_specs');
  const specs = specsOf((req.body as Record<string, unknown> | undefined)?.group_specs);
  return respond(202, {
    group_specs: await req.services.groups.setSpecs(callerOf(req), String(req.params.group_type_id), specs),
  });
}

/** `GET /group_types/{id}/group_specs/{key}`. */
export async function showGroupSpec(req: Req) {
  checkProject(req);
  authorize(req, 'group:access_group_types_specs');
  const t = await req.services.groups.getType(callerOf(req), String(req.params.group_type_id));
  const key = String(req.params.key);
  if (!(key in t.group_specs)) throw new CinderNotFound('Group type spec', `${key} of ${t.id}`);
  return { [key]: t.group_specs[key] };
}

/** `PUT /group_types/{id}/group_specs/{key}`. */
export async function updateGroupSpec(req: Req) {
  checkProject(req);
  authorize(req, 'group:group_types_specs');
  const key = String(req.params.key);
  const specs = specsOf(req.body);
  if (!(key in specs) || Object.keys(specs).length !== 1)
    throw new CinderInvalid('Request body and URI mismatch');
  await req.services.groups.setSpecs(callerOf(req), String(req.params.group_type_id), specs);
  return specs;
}

/** `DELETE /group_types/{id}/group_specs/{key}` (202). */
export async function deleteGroupSpec(req: Req) {
  checkProject(req);
  authorize(req, 'group:group_types_specs');
  await req.services.groups.unsetSpec(
    callerOf(req),
    String(req.params.group_type_id),
    String(req.params.key),
  );
  return respond(202);
}

async function groupView(req: Req, g: GroupRecord) {
  const view: Record<string, unknown> = {
    id: g.id,
    name: g.name,
    description: g.description,
    status: g.status,
    availability_zone: g.availability_zone,
    created_at: g.created_at,
    group_type: g.group_type_id,
    volume_types: g.volume_type_ids,
    group_snapshot_id: g.group_snapshot_id,
    source_group_id: g.source_group_id,
  };
  if (
    req.microversion.atLeast('3.25') &&
    q(req, 'list_volume') !== undefined &&
    parseBool(q(req, 'list_volume'), 'list_volume')
  ) {
    view.volumes = (await req.services.stores.volumes.list())
      .filter((v) => v.group_id === g.id)
      .map((v) => v.id);
  }
  if (req.microversion.atLeast('3.38')) view.replication_status = g.replication_status;
  if (req.microversion.atLeast('3.58')) view.project_id = g.project_id;
  return view;
}

async function groupsListed(req: Req) {
  checkProject(req);
  authorize(req, 'group:get_all');
  const all = q(req, 'all_tenants') !== undefined && parseBool(q(req, 'all_tenants'), 'all_tenants');
  return req.services.groups.list(callerOf(req), all);
}

/** `GET /groups`. */
export async function listGroups(req: Req) {
  return { groups: (await groupsListed(req)).map((g) => ({ id: g.id, name: g.name })) };
}

/** `GET /groups/detail`. */
export async function listGroupsDetail(req: Req) {
  const out = [];
  for (const g of await groupsListed(req)) out.push(await groupView(req, g));
  return { groups: out };
}

/** `GET /groups/{id}`. */
export async function showGroup(req: Req) {
  checkProject(req);
  const g = await req.services.groups.get(callerOf(req), String(req.params.group_id));
  authorize(req, 'group:get', g.project_id);
  return { group: await groupView(req, g) };
}

/** `POST /groups` (202). */
export async function createGroup(req: Req) {
  checkProject(req);
  authorize(req, 'group:create');
  const body = bodyOf<Record<string, unknown>>(req, 'group');
  if (typeof body.group_type !== 'string')
    throw new CinderInvalid('Invalid input received: group_type must be provided to create group.');
  const g = await req.services.groups.create(callerOf(req), {
    group_type: body.group_type,
    volume_types: body.volume_types as string[],
    name: (body.name as string | undefined) ?? null,
    description: (body.description as string | undefined) ?? null,
    availability_zone: (body.availability_zone as string | undefined) ?? null,
  });
  return respond(202, { group: { id: g.id, name: g.name } });
}

/** `POST /groups/action` `create-from-src` (3.14, 202): from a group snapshot or another group. */
export async function createGroupFromSource(req: Req) {
  checkProject(req);
  authorize(req, 'group:create');
  const body = bodyOf<Record<string, unknown>>(req, 'create-from-src');
  const g = await req.services.groups.createFromSource(callerOf(req), {
    name: (body.name as string | undefined) ?? null,
    description: (body.description as string | undefined) ?? null,
    group_snapshot_id: (body.group_snapshot_id as string | undefined) ?? null,
    source_group_id: (body.source_group_id as string | undefined) ?? null,
  });
  return respond(202, { group: { id: g.id, name: g.name } });
}

/** `PUT /groups/{id}` (202). */
export async function updateGroup(req: Req) {
  checkProject(req);
  const g = await req.services.groups.get(callerOf(req), String(req.params.group_id));
  authorize(req, 'group:update', g.project_id);
  const body = bodyOf<Record<string, unknown>>(req, 'group');
  await req.services.groups.update(callerOf(req), g.id, body as never);
  return respond(202);
}

/** `POST /groups/{id}/action`: delete, reset_status. */
export async function groupAction(req: Req) {
  checkProject(req);
  const g = await req.services.groups.get(callerOf(req), String(req.params.group_id));
  const body = (req.body ?? {}) as Record<string, any>;
  if (body.delete) {
    authorize(req, 'group:delete', g.project_id);
    const dv = body.delete['delete-volumes'] ?? body.delete.delete_volumes;
    await req.services.groups.delete(
      callerOf(req),
      g.id,
      dv === undefined ? false : parseBool(dv, 'delete_volumes'),
    );
    return respond(202);
  }
  if (body.reset_status) {
    authorize(req, 'group:reset_status', g.project_id);
    await req.services.groups.resetStatus(callerOf(req), g.id, String(body.reset_status.status ?? ''));
    return respond(202);
  }
  throw new CinderNotImplementedAction(Object.keys(body)[0] ?? '');
}

class CinderNotImplementedAction extends NotImplementedError {
  constructor(action: string) {
    super(`Group action ${action} is not implemented.`);
  }
}

function groupSnapshotView(req: Req, s: GroupSnapshotRecord) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    status: s.status,
    group_id: s.group_id,
    group_type_id: s.group_type_id,
    created_at: s.created_at,
    ...(req.microversion.atLeast('3.58') ? { project_id: s.project_id } : {}),
  };
}

/** `GET /group_snapshots` and `/detail`. */
export async function listGroupSnapshots(req: Req) {
  checkProject(req);
  authorize(req, 'group:get_all_group_snapshots');
  const all = q(req, 'all_tenants') !== undefined && parseBool(q(req, 'all_tenants'), 'all_tenants');
  const detail = req.url.includes('/detail');
  const items = await req.services.groups.listSnapshots(callerOf(req), all);
  return {
    group_snapshots: items.map((s) => (detail ? groupSnapshotView(req, s) : { id: s.id, name: s.name })),
  };
}

/** `GET /group_snapshots/{id}`. */
export async function showGroupSnapshot(req: Req) {
  checkProject(req);
  const s = await req.services.groups.getSnapshot(callerOf(req), String(req.params.group_snapshot_id));
  authorize(req, 'group:get_group_snapshot', s.project_id);
  return { group_snapshot: groupSnapshotView(req, s) };
}

/** `POST /group_snapshots` (202). */
export async function createGroupSnapshot(req: Req) {
  checkProject(req);
  authorize(req, 'group:create_group_snapshot');
  const body = bodyOf<Record<string, unknown>>(req, 'group_snapshot');
  if (typeof body.group_id !== 'string')
    throw new CinderInvalid('Invalid input received: group_id is required.');
  const s = await req.services.groups.createSnapshot(callerOf(req), {
    group_id: body.group_id,
    name: (body.name as string | undefined) ?? null,
    description: (body.description as string | undefined) ?? null,
  });
  return respond(202, { group_snapshot: { id: s.id, name: s.name, group_type_id: s.group_type_id } });
}

/** `DELETE /group_snapshots/{id}` (202). */
export async function deleteGroupSnapshot(req: Req) {
  checkProject(req);
  const s = await req.services.groups.getSnapshot(callerOf(req), String(req.params.group_snapshot_id));
  authorize(req, 'group:delete_group_snapshot', s.project_id);
  await req.services.groups.deleteSnapshot(callerOf(req), s.id);
  return respond(202);
}

/** `POST /group_snapshots/{id}/action` `reset_status` (202). */
export async function groupSnapshotAction(req: Req) {
  checkProject(req);
  const s = await req.services.groups.getSnapshot(callerOf(req), String(req.params.group_snapshot_id));
  const body = (req.body ?? {}) as Record<string, any>;
  if (!body.reset_status) throw new CinderInvalid('Invalid request body: unknown group snapshot action.');
  authorize(req, 'group:reset_group_snapshot_status', s.project_id);
  await req.services.groups.resetSnapshotStatus(callerOf(req), s.id, String(body.reset_status.status ?? ''));
  return respond(202);
}
