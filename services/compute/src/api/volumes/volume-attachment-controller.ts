import { BadRequestError } from '@nimbus/errors';
import { respond } from '@nimbus/http';
import { InvalidInput } from '../../manager/compute-errors';
import { type ComputeRequest, callerContext, findServer } from '../compute-request';
import { volumeAttachmentView } from './volume-attachment-view';

type AttachBody = {
  volumeAttachment: {
    volumeId: string;
    device?: string | null;
    tag?: string;
    delete_on_termination?: boolean;
    id?: string;
    serverId?: string;
  };
};

const unexpected = (key: string) =>
  new InvalidInput(
    `Invalid input for field/attribute volumeAttachment. Value: ... Additional properties are not allowed ('${key}' was unexpected)`,
  );

function pageParam(req: ComputeRequest, key: 'limit' | 'offset'): number | undefined {
  const raw = (req.query as Record<string, string | string[] | undefined>)[key];
  const v = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (v === undefined) return undefined;
  if (!/^[0-9]+$/.test(v))
    throw new BadRequestError(
      `Invalid input for query parameters ${key}. Value: ${v}. '${v}' does not match '^[0-9]*$'`,
    );
  return Number(v);
}

/** `GET /servers/{id}/os-volume_attachments` (`limit` / `offset` as upstream). */
export async function listVolumeAttachments(req: ComputeRequest<unknown>) {
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:os-volumes-attachments:index');
  const all = await req.services.volumeAttachments.list(i);
  const offset = pageParam(req, 'offset') ?? 0;
  const limit = Math.min(
    pageParam(req, 'limit') ?? req.services.options.maxLimit,
    req.services.options.maxLimit,
  );
  return {
    volumeAttachments: all
      .slice(offset, offset + limit)
      .map((m) => volumeAttachmentView(m, req.microversion)),
  };
}

/** `GET /servers/{id}/os-volume_attachments/{volume_id}`. */
export async function showVolumeAttachment(req: ComputeRequest<unknown>) {
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:os-volumes-attachments:show');
  const m = await req.services.volumeAttachments.get(i, req.params.volume_id!);
  return { volumeAttachment: volumeAttachmentView(m, req.microversion) };
}

/** `POST /servers/{id}/os-volume_attachments`: 200 with the attachment (its device chosen). */
export async function attachVolume(req: ComputeRequest<AttachBody>) {
  const mv = req.microversion;
  const a = req.body.volumeAttachment;
  if (a.tag !== undefined && !mv.atLeast('2.49')) throw unexpected('tag');
  if (a.delete_on_termination !== undefined && !mv.atLeast('2.79')) throw unexpected('delete_on_termination');
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:os-volumes-attachments:create');
  const m = await req.services.volumeAttachments.attach(callerContext(req), i, {
    volumeId: a.volumeId,
    ...(a.device !== undefined ? { device: a.device } : {}),
    ...(a.tag !== undefined ? { tag: a.tag } : {}),
    ...(a.delete_on_termination !== undefined ? { deleteOnTermination: a.delete_on_termination } : {}),
    multiattachAllowed: mv.atLeast('2.60'),
  });
  const view: Record<string, unknown> = {
    id: m.volumeId,
    serverId: i.uuid,
    volumeId: m.volumeId,
    device: m.deviceName,
  };
  if (mv.atLeast('2.70')) view.tag = m.tag;
  if (mv.atLeast('2.79')) view.delete_on_termination = m.deleteOnTermination;
  return { volumeAttachment: view };
}

/**
 * `PUT /servers/{id}/os-volume_attachments/{volume_id}`: a swap to another volume (admin), or,
 * from 2.85, an update of `delete_on_termination`; the other keys must repeat what is there.
 */
export async function updateVolumeAttachment(req: ComputeRequest<AttachBody>) {
  const mv = req.microversion;
  const a = req.body.volumeAttachment;
  if (!mv.atLeast('2.85')) {
    for (const k of ['device', 'id', 'serverId', 'tag', 'delete_on_termination'] as const)
      if (a[k] !== undefined) throw unexpected(k);
  }
  const oldVolumeId = req.params.volume_id!;
  const swap = !mv.atLeast('2.85') || a.volumeId !== oldVolumeId;
  const i = await findServer(
    req,
    req.params.server_id!,
    swap ? 'os_compute_api:os-volumes-attachments:swap' : 'os_compute_api:os-volumes-attachments:update',
  );
  if (swap && mv.atLeast('2.85'))
    req.authorize('os_compute_api:os-volumes-attachments:update', { project_id: i.projectId });
  const current = await req.services.volumeAttachments.get(i, oldVolumeId);
  const same: [keyof AttachBody['volumeAttachment'], unknown][] = [
    ['id', current.volumeId],
    ['serverId', i.uuid],
    ['device', current.deviceName],
    ['tag', current.tag],
  ];
  for (const [k, now] of same) {
    if (a[k] !== undefined && a[k] !== now)
      throw new InvalidInput(`Updating '${k}' of a volume attachment is not supported.`);
  }
  await req.services.volumeAttachments.update(callerContext(req), i, oldVolumeId, {
    volumeId: a.volumeId,
    ...(a.delete_on_termination !== undefined ? { deleteOnTermination: a.delete_on_termination } : {}),
  });
  return respond(202);
}

/** `DELETE /servers/{id}/os-volume_attachments/{volume_id}`: 202 once the volume is detached. */
export async function detachVolume(req: ComputeRequest<unknown>) {
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:os-volumes-attachments:delete');
  await req.services.volumeAttachments.detach(callerContext(req), i, req.params.volume_id!);
  return respond(202);
}
