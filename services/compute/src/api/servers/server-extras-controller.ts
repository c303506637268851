import { NotFoundError } from '@nimbus/errors';
import { respond } from '@nimbus/http';
import { InvalidInput } from '../../manager/compute-errors';
import { type ComputeRequest, findServer, rpcContext } from '../compute-request';
import { isoMicros } from '../compute-view-helpers';

const id = (req: ComputeRequest<unknown>) => req.params.server_id!;

/** `GET /servers/{id}/metadata`. */
export async function listMetadata(req: ComputeRequest<unknown>) {
  const i = await findServer(req, id(req), 'os_compute_api:server-metadata:index');
  return { metadata: i.metadata };
}

/** `GET /servers/{id}/metadata/{key}`. */
export async function showMetadata(req: ComputeRequest<unknown>) {
  const i = await findServer(req, id(req), 'os_compute_api:server-metadata:show');
  const key = req.params.key!;
  if (!(key in i.metadata)) throw new NotFoundError('Metadata item was not found');
  return { meta: { [key]: i.metadata[key] } };
}

/** `POST /servers/{id}/metadata` (merge) and `PUT` (replace). */
export function setMetadata(replace: boolean) {
  return async (req: ComputeRequest<{ metadata: Record<string, string> }>) => {
    const i = await findServer(
      req,
      id(req),
      replace ? 'os_compute_api:server-metadata:update_all' : 'os_compute_api:server-metadata:create',
    );
    const metadata = replace ? req.body.metadata : { ...i.metadata, ...req.body.metadata };
    await req.services.instances.update(i.uuid, { metadata });
    return { metadata };
  };
}

/** `PUT /servers/{id}/metadata/{key}`. */
export async function putMetadataItem(req: ComputeRequest<{ meta: Record<string, string> }>) {
  const i = await findServer(req, id(req), 'os_compute_api:server-metadata:update');
  const key = req.params.key!;
  if (!(key in req.body.meta)) throw new InvalidInput('Request body and URI mismatch');
  await req.services.instances.update(i.uuid, { metadata: { ...i.metadata, [key]: req.body.meta[key]! } });
  return { meta: { [key]: req.body.meta[key] } };
}

/** `DELETE /servers/{id}/metadata/{key}`. */
export async function deleteMetadataItem(req: ComputeRequest<unknown>) {
  const i = await findServer(req, id(req), 'os_compute_api:server-metadata:delete');
  const key = req.params.key!;
  if (!(key in i.metadata)) throw new NotFoundError('Metadata item was not found');
  const { [key]: _gone, ...rest } = i.metadata;
  await req.services.instances.update(i.uuid, { metadata: rest });
  return respond(204);
}

/** `GET /servers/{id}/tags`. */
export async function listTags(req: ComputeRequest<unknown>) {
  const i = await findServer(req, id(req), 'os_compute_api:os-server-tags:index');
  return { tags: i.tags };
}

/** `GET /servers/{id}/tags/{tag}`: 204 when present. */
export async function checkTag(req: ComputeRequest<unknown>) {
  const i = await findServer(req, id(req), 'os_compute_api:os-server-tags:show');
  if (!i.tags.includes(req.params.tag!))
    throw new NotFoundError(`Tag ${req.params.tag} could not be found for instance ${i.uuid}.`);
  return respond(204);
}

/** `PUT /servers/{id}/tags/{tag}`: 201 when added, 204 when it was there. */
export async function addTag(req: ComputeRequest<unknown>) {
  const i = await findServer(req, id(req), 'os_compute_api:os-server-tags:update');
  const tag = req.params.tag!;
  if (tag.length > 60 || tag.includes(',') || tag.includes('/'))
    throw new InvalidInput(`Invalid input for field/attribute tag. Value: ${tag}.`);
  if (i.tags.includes(tag)) return respond(204);
  if (i.tags.length >= 50) throw new InvalidInput(`The number of tags exceeded the per-server limit 50`);
  await req.services.instances.update(i.uuid, { tags: [...i.tags, tag] });
  return respond(201, undefined, {
    location: `${req.baseUrl}/v2.1/servers/${i.uuid}/tags/${encodeURIComponent(tag)}`,
  });
}

/** `PUT /servers/{id}/tags`. */
export async function replaceTags(req: ComputeRequest<{ tags: string[] }>) {
  const i = await findServer(req, id(req), 'os_compute_api:os-server-tags:update_all');
  const tags = [...new Set(req.body.tags)];
  await req.services.instances.update(i.uuid, { tags });
  return { tags };
}

/** `DELETE /servers/{id}/tags/{tag}`. */
export async function deleteTag(req: ComputeRequest<unknown>) {
  const i = await findServer(req, id(req), 'os_compute_api:os-server-tags:delete');
  const tag = req.params.tag!;
  if (!i.tags.includes(tag)) throw new NotFoundError(`Tag ${tag} could not be found for instance ${i.uuid}.`);
  await req.services.instances.update(i.uuid, { tags: i.tags.filter((t) => t !== tag) });
  return respond(204);
}

/** `DELETE /servers/{id}/tags`. */
export async function deleteTags(req: ComputeRequest<unknown>) {
  const i = await findServer(req, id(req), 'os_compute_api:os-server-tags:delete_all');
  await req.services.instances.update(i.uuid, { tags: [] });
  return respond(204);
}

function actionView(
  req: ComputeRequest<unknown>,
  a: Awaited<ReturnType<ComputeRequest['services']['actions']['list']>>[number],
  withEvents: boolean,
  eventDetails: boolean,
) {
  const v: Record<string, unknown> = {
    action: a.action,
    instance_uuid: a.instanceUuid,
    request_id: a.requestId,
    user_id: a.userId,
    project_id: a.projectId,
    start_time: isoMicros(a.startTime),
    message: a.message,
  };
  if (req.microversion.atLeast('2.58')) v.updated_at = isoMicros(a.updatedAt ?? a.startTime);
  if (withEvents) {
    v.events = a.events.map((e) => ({
      event: e.event,
      start_time: isoMicros(e.start_time),
      finish_time: isoMicros(e.finish_time),
      result: e.result,
      ...(eventDetails ? { traceback: null } : {}),
      ...(req.microversion.atLeast('2.62')
        ? { hostId: '', ...(eventDetails ? { host: e.host ?? '' } : {}) }
        : {}),
      ...(req.microversion.atLeast('2.84') ? { details: null } : {}),
    }));
  }
  return v;
}

/** `GET /servers/{id}/os-instance-actions`. */
export async function listInstanceActions(req: ComputeRequest<unknown>) {
  const i = await req.services.instances.get(id(req), true);
  if (!i || (i.deleted && !req.microversion.atLeast('2.21')))
    throw new NotFoundError(`Instance ${id(req)} could not be found.`);
  req.authorize('os_compute_api:os-instance-actions:list', { project_id: i.projectId });
  const actions = await req.services.actions.list(i.uuid);
  return { instanceActions: actions.map((a) => actionView(req, a, false, false)) };
}

/** `GET /servers/{id}/os-instance-actions/{request_id}`. */
export async function showInstanceAction(req: ComputeRequest<unknown>) {
  const i = await req.services.instances.get(id(req), true);
  if (!i || (i.deleted && !req.microversion.atLeast('2.21')))
    throw new NotFoundError(`Instance ${id(req)} could not be found.`);
  req.authorize('os_compute_api:os-instance-actions:show', { project_id: i.projectId });
  const a = (await req.services.actions.list(i.uuid)).find((x) => x.requestId === req.params.request_id);
  if (!a)
    throw new NotFoundError(`Action for request_id ${req.params.request_id} on instance ${i.uuid} not found`);
  const events = req.allowed('os_compute_api:os-instance-actions:events', { project_id: i.projectId });
  return {
    instanceAction: actionView(
      req,
      a,
      events,
      events && req.allowed('os_compute_api:os-instance-actions:events:details', { project_id: i.projectId }),
    ),
  };
}

/** `POST /os-server-external-events`: each event's code (200 delivered, 404 unknown server, 422 not on a host). */
export async function externalEvents(
  req: ComputeRequest<{ events: { name: string; server_uuid: string; status?: string; tag?: string }[] }>,
) {
  req.authorize('os_compute_api:os-server-external-events:create', {});
  const out = [];
  let accepted = 0;
  for (const e of req.body.events) {
    const i = await req.services.instances.get(e.server_uuid);
    const code = !i ? 404 : !i.host ? 422 : 200;
    if (code === 200) accepted++;
    if (code === 200 && e.name === 'volume-extended' && e.tag)
      await req.services.volumeAttachments.volumeExtended(rpcContext(req), i!, e.tag);
    out.push({ ...e, status: e.status ?? 'completed', code });
  }
  const status = accepted === out.length ? 200 : accepted === 0 ? 404 : 207;
  return respond(status, { events: out });
}
