import { respond } from '@nimbus/http';
import type { AttachmentRecord } from '../../db/records';
import { CinderInvalid } from '../../manager/cinder-errors';
import { authorize, bodyOf, callerOf, checkProject, parseBool, q, type Req } from '../cinder-request';

function attachmentView(a: AttachmentRecord, detail = true) {
  const base = { id: a.id, status: a.status, instance: a.instance_uuid, volume_id: a.volume_id };
  if (!detail) return base;
  return {
    ...base,
    attached_at: a.attach_time,
    detached_at: a.detach_time,
    attach_mode: a.attach_mode,
    connection_info: a.connection_info,
  };
}

async function listed(req: Req) {
  checkProject(req);
  const all = q(req, 'all_tenants') !== undefined && parseBool(q(req, 'all_tenants'), 'all_tenants');
  let items = await req.services.attachments.list(callerOf(req), all);
  for (const [key, get] of [
    ['volume_id', (a: AttachmentRecord) => a.volume_id],
    ['instance_id', (a: AttachmentRecord) => a.instance_uuid],
    ['status', (a: AttachmentRecord) => a.status],
  ] as const) {
    const v = q(req, key);
    if (v !== undefined) items = items.filter((a) => get(a) === v);
  }
  return items;
}

/** `GET /attachments` (3.27). */
export async function listAttachments(req: Req) {
  return { attachments: (await listed(req)).map((a) => attachmentView(a, false)) };
}

/** `GET /attachments/detail`. */
export async function listAttachmentsDetail(req: Req) {
  return { attachments: (await listed(req)).map((a) => attachmentView(a)) };
}

/** `GET /attachments/{id}`. */
export async function showAttachment(req: Req) {
  checkProject(req);
  return {
    attachment: attachmentView(
      await req.services.attachments.get(callerOf(req), String(req.params.attachment_id)),
    ),
  };
}

/** `POST /attachments` (200): with or without a connector; `mode` at 3.54. */
export async function createAttachment(req: Req) {
  checkProject(req);
  authorize(req, 'volume:attachment_create');
  const body = bodyOf<Record<string, unknown>>(req, 'attachment');
  if (typeof body.volume_uuid !== 'string')
    throw new CinderInvalid('Invalid input received: volume_uuid is required.');
  const connector = body.connector;
  if (
    connector !== undefined &&
    connector !== null &&
    (typeof connector !== 'object' || Array.isArray(connector))
  ) {
    throw new CinderInvalid('Invalid input received: connector must be an object.');
  }
  const a = await req.services.attachments.create(callerOf(req), {
    volume_uuid: body.volume_uuid,
    instance_uuid: (body.instance_uuid as string | undefined) ?? null,
    connector: (connector as Record<string, unknown> | undefined) ?? null,
    ...(req.microversion.atLeast('3.54') && body.mode !== undefined ? { mode: String(body.mode) } : {}),
  });
  return { attachment: attachmentView(a) };
}

/** `PUT /attachments/{id}`: a connector → connection info. */
export async function updateAttachment(req: Req) {
  checkProject(req);
  const current = await req.services.attachments.get(callerOf(req), String(req.params.attachment_id));
  authorize(req, 'volume:attachment_update', current.project_id);
  const body = bodyOf<Record<string, unknown>>(req, 'attachment');
  const connector = body.connector;
  if (!connector || typeof connector !== 'object' || Array.isArray(connector)) {
    throw new CinderInvalid('Invalid input received: connector is required.');
  }
  const a = await req.services.attachments.update(
    callerOf(req),
    current.id,
    connector as Record<string, unknown>,
  );
  return { attachment: attachmentView(a) };
}

/** `POST /attachments/{id}/action` `os-complete` (3.44, 204). */
export async function attachmentAction(req: Req) {
  checkProject(req);
  const current = await req.services.attachments.get(callerOf(req), String(req.params.attachment_id));
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (!('os-complete' in body)) throw new CinderInvalid('Invalid request body: unknown attachment action.');
  authorize(req, 'volume:attachment_complete', current.project_id);
  await req.services.attachments.complete(callerOf(req), current.id);
  return respond(204);
}

/** `DELETE /attachments/{id}` (200 with the remaining attachments, as upstream). */
export async function deleteAttachment(req: Req) {
  checkProject(req);
  const current = await req.services.attachments.get(callerOf(req), String(req.params.attachment_id));
  authorize(req, 'volume:attachment_delete', current.project_id);
  await req.services.attachments.delete(callerOf(req), current.id);
  const rest = (await req.services.stores.attachments.list()).filter(
    (a) => a.volume_id === current.volume_id,
  );
  return { attachments: rest.map((a) => attachmentView(a, false)) };
}
