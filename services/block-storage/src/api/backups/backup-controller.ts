import { respond } from '@nimbus/http';
import type { BackupRecordRow } from '../../db/records';
import { CinderInvalid, CinderNotFound } from '../../manager/cinder-errors';
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

function links(req: Req, b: BackupRecordRow) {
  return [
    { href: `${req.baseUrl}/v3/${b.project_id}/backups/${b.id}`, rel: 'self' },
    { href: `${req.baseUrl}/${b.project_id}/backups/${b.id}`, rel: 'bookmark' },
  ];
}

async function detailView(req: Req, b: BackupRecordRow) {
  const view: Record<string, unknown> = {
    id: b.id,
    name: b.name,
    description: b.description,
    status: b.status,
    size: b.size,
    object_count: b.object_count,
    availability_zone: b.availability_zone,
    container: b.container,
    created_at: b.created_at,
    updated_at: b.updated_at ?? null,
    links: links(req, b),
    fail_reason: b.fail_reason,
    volume_id: b.volume_id,
    is_incremental: b.is_incremental,
    has_dependent_backups: await req.services.backups.hasDependents(b.id),
    snapshot_id: b.snapshot_id,
    data_timestamp: b.data_timestamp,
  };
  const mv = req.microversion;
  if (mv.atLeast('3.18') && req.allowed('backup:backup_project_attribute', { project_id: b.project_id })) {
    view['os-backup-project-attr:project_id'] = b.project_id;
  }
  if (mv.atLeast('3.43')) view.metadata = b.metadata;
  if (mv.atLeast('3.56')) view.user_id = b.user_id;
  if (mv.atLeast('3.65')) view.encryption_key_id = b.encryption_key_id;
  return view;
}

function summaryView(req: Req, b: BackupRecordRow) {
  return {
    id: b.id,
    links: links(req, b),
    name: b.name,
    ...(req.microversion.atLeast('3.43') ? { metadata: b.metadata } : {}),
  };
}

const SORT_KEYS = ['id', 'name', 'status', 'size', 'created_at', 'updated_at', 'volume_id', 'container'];

async function listed(req: Req) {
  checkProject(req);
  authorize(req, 'backup:get_all');
  const caller = callerOf(req);
  const all = q(req, 'all_tenants') !== undefined && parseBool(q(req, 'all_tenants'), 'all_tenants');
  const keys = parseSort(req, SORT_KEYS);
  const inSql = await sqlPage(
    req,
    req.services.stores.backups,
    keys,
    caller.isAdmin && all ? q(req, 'project_id') : caller.projectId,
    (m) => new CinderNotFound('Backup', m),
    { ...SQL_FILTERS, volume_id: 'parent_id' },
  );
  if (inSql) return inSql;
  let items = await req.services.backups.list(caller, all, caller.isAdmin ? q(req, 'project_id') : undefined);
  const filters = listFilters<BackupRecordRow>(req, {
    name: (b) => b.name,
    status: (b) => b.status,
    volume_id: (b) => b.volume_id,
    availability_zone: (b) => b.availability_zone,
  });
  items = items.filter((b) => filters.every((f) => f(b)));
  items = sortRecords(items, keys, (b, k) => (b as unknown as Record<string, unknown>)[k]);
  return {
    p: page(req, items, req.services.options.maxLimit, (m) => new CinderNotFound('Backup', m)),
    total: items.length,
  };
}

function count(req: Req, total: number) {
  const c =
    req.microversion.atLeast('3.45') &&
    q(req, 'with_count') !== undefined &&
    parseBool(q(req, 'with_count'), 'with_count');
  return c ? { count: total } : {};
}

/** `GET /backups`. */
export async function listBackups(req: Req) {
  const { p, total } = await listed(req);
  return {
    backups: p.items.map((b) => summaryView(req, b)),
    ...(p.next ? { backups_links: [{ href: p.next, rel: 'next' }] } : {}),
    ...count(req, total),
  };
}

/** `GET /backups/detail`. */
export async function listBackupsDetail(req: Req) {
  const { p, total } = await listed(req);
  const views = [];
  for (const b of p.items) views.push(await detailView(req, b));
  return {
    backups: views,
    ...(p.next ? { backups_links: [{ href: p.next, rel: 'next' }] } : {}),
    ...count(req, total),
  };
}

/** `GET /backups/{id}`. */
export async function showBackup(req: Req) {
  checkProject(req);
  const b = await req.services.backups.get(callerOf(req), String(req.params.backup_id));
  authorize(req, 'backup:get', b.project_id);
  return { backup: await detailView(req, b) };
}

/** `POST /backups` (202). */
export async function createBackup(req: Req) {
  checkProject(req);
  authorize(req, 'backup:create');
  const body = bodyOf<Record<string, unknown>>(req, 'backup');
  if (typeof body.volume_id !== 'string')
    throw new CinderInvalid("Missing required element 'volume_id' in request body.");
  for (const k of ['name', 'description', 'container']) {
    const v = body[k];
    if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > 255))
      throw new CinderInvalid(`Invalid input for field/attribute ${k}.`);
  }
  const b = await req.services.backups.create(callerOf(req), {
    volume_id: body.volume_id,
    container: (body.container as string | undefined) ?? null,
    name: (body.name as string | undefined) ?? null,
    description: (body.description as string | undefined) ?? null,
    incremental: body.incremental === undefined ? false : parseBool(body.incremental, 'incremental'),
    force: body.force === undefined ? false : parseBool(body.force, 'force'),
    snapshot_id: (body.snapshot_id as string | undefined) ?? null,
    metadata: req.microversion.atLeast('3.43') ? checkMetadata(body.metadata) : {},
    availability_zone: req.microversion.atLeast('3.51')
      ? ((body.availability_zone as string | undefined) ?? null)
      : null,
  });
  return respond(202, { backup: summaryView(req, b) });
}

/** `PUT /backups/{id}` (3.9). */
export async function updateBackup(req: Req) {
  checkProject(req);
  const current = await req.services.backups.get(callerOf(req), String(req.params.backup_id));
  authorize(req, 'backup:update', current.project_id);
  const body = bodyOf<Record<string, unknown>>(req, 'backup');
  const b = await req.services.backups.update(callerOf(req), current.id, {
    ...(body.name !== undefined ? { name: body.name as string | null } : {}),
    ...(body.description !== undefined ? { description: body.description as string | null } : {}),
    ...(body.metadata !== undefined && req.microversion.atLeast('3.43')
      ? { metadata: checkMetadata(body.metadata) }
      : {}),
  });
  return { backup: summaryView(req, b) };
}

/** `DELETE /backups/{id}` (202). */
export async function deleteBackup(req: Req) {
  checkProject(req);
  const b = await req.services.backups.get(callerOf(req), String(req.params.backup_id));
  authorize(req, 'backup:delete', b.project_id);
  await req.services.backups.delete(callerOf(req), b.id);
  return respond(202);
}

/** `POST /backups/{id}/restore` (202). */
export async function restoreBackup(req: Req) {
  checkProject(req);
  const b = await req.services.backups.get(callerOf(req), String(req.params.backup_id));
  authorize(req, 'backup:restore', b.project_id);
  const body = bodyOf<Record<string, unknown>>(req, 'restore');
  const restore = await req.services.backups.restore(callerOf(req), b.id, {
    volume_id: (body.volume_id as string | undefined) ?? null,
    name: (body.name as string | undefined) ?? null,
  });
  return respond(202, { restore });
}

/** `POST /backups/{id}/action`: os-reset_status, os-force_delete. */
export async function backupAction(req: Req) {
  checkProject(req);
  const caller = callerOf(req);
  const b = await req.services.backups.get(caller, String(req.params.backup_id));
  const body = (req.body ?? {}) as Record<string, any>;
  if (body['os-reset_status']) {
    authorize(req, 'volume_extension:backup_admin_actions:reset_status', b.project_id);
    await req.services.backups.resetStatus(caller, b.id, String(body['os-reset_status'].status ?? ''));
    return respond(202);
  }
  if ('os-force_delete' in body) {
    authorize(req, 'volume_extension:backup_admin_actions:force_delete', b.project_id);
    await req.services.backups.delete(caller, b.id, true);
    return respond(202);
  }
  throw new CinderInvalid('Invalid request body: unknown backup action.');
}

/** `GET /backups/{id}/export_record`. */
export async function exportBackupRecord(req: Req) {
  checkProject(req);
  authorize(req, 'backup:backup-export');
  return {
    'backup-record': await req.services.backups.exportRecord(callerOf(req), String(req.params.backup_id)),
  };
}

/** `POST /backups/import_record` (201). */
export async function importBackupRecord(req: Req) {
  checkProject(req);
  authorize(req, 'backup:backup-import');
  const body = bodyOf<Record<string, unknown>>(req, 'backup-record');
  if (typeof body.backup_service !== 'string' || typeof body.backup_url !== 'string') {
    throw new CinderInvalid('Invalid input received: backup_service and backup_url are required.');
  }
  const b = await req.services.backups.importRecord(callerOf(req), body.backup_service, body.backup_url);
  return respond(201, { backup: summaryView(req, b) });
}
