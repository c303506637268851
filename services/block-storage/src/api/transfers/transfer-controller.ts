import { respond } from '@nimbus/http';
import type { TransferRecord } from '../../db/records';
import { CinderInvalid } from '../../manager/cinder-errors';
import { authorize, bodyOf, callerOf, checkProject, parseBool, q, type Req } from '../cinder-request';

function links(req: Req, t: TransferRecord) {
  return [
    { href: `${req.baseUrl}/v3/${t.project_id}/os-volume-transfer/${t.id}`, rel: 'self' },
    { href: `${req.baseUrl}/${t.project_id}/os-volume-transfer/${t.id}`, rel: 'bookmark' },
  ];
}

function detailView(req: Req, t: TransferRecord) {
  return {
    id: t.id,
    name: t.name,
    volume_id: t.volume_id,
    created_at: t.created_at,
    links: links(req, t),
    ...(req.microversion.atLeast('3.57')
      ? {
          source_project_id: t.source_project_id,
          destination_project_id: t.destination_project_id,
          accepted: t.accepted,
        }
      : {}),
  };
}

function summaryView(req: Req, t: TransferRecord) {
  return { id: t.id, name: t.name, volume_id: t.volume_id, links: links(req, t) };
}

async function listed(req: Req) {
  checkProject(req);
  authorize(req, 'volume:get_all_transfers');
  const all = q(req, 'all_tenants') !== undefined && parseBool(q(req, 'all_tenants'), 'all_tenants');
  let items = await req.services.transfers.list(callerOf(req), all);
  for (const k of ['name', 'volume_id', 'id'] as const) {
    const v = q(req, k);
    if (v !== undefined) items = items.filter((t) => String(t[k]) === v);
  }
  return items;
}

/** `GET /os-volume-transfer` (and `/volume-transfers` at 3.55). */
export async function listTransfers(req: Req) {
  return { transfers: (await listed(req)).map((t) => summaryView(req, t)) };
}

/** `GET /os-volume-transfer/detail`. */
export async function listTransfersDetail(req: Req) {
  return { transfers: (await listed(req)).map((t) => detailView(req, t)) };
}

/** `GET /os-volume-transfer/{id}`. */
export async function showTransfer(req: Req) {
  checkProject(req);
  const t = await req.services.transfers.get(callerOf(req), String(req.params.transfer_id));
  authorize(req, 'volume:get_transfer', t.project_id);
  return { transfer: detailView(req, t) };
}

/** `POST /os-volume-transfer` (202): the answer is the only time the auth key is shown. */
export async function createTransfer(req: Req) {
  checkProject(req);
  authorize(req, 'volume:create_transfer');
  const body = bodyOf<Record<string, unknown>>(req, 'transfer');
  if (typeof body.volume_id !== 'string')
    throw new CinderInvalid('Incorrect request body format: volume_id is required.');
  if (
    body.name !== undefined &&
    body.name !== null &&
    (typeof body.name !== 'string' || body.name.length > 255)
  ) {
    throw new CinderInvalid('Invalid input for field/attribute name.');
  }
  const noSnapshots =
    req.microversion.atLeast('3.55') && body.no_snapshots !== undefined
      ? parseBool(body.no_snapshots, 'no_snapshots')
      : false;
  const { transfer, authKey } = await req.services.transfers.create(callerOf(req), {
    volume_id: body.volume_id,
    name: (body.name as string | undefined) ?? null,
    no_snapshots: noSnapshots,
  });
  return respond(202, { transfer: { ...detailView(req, transfer), auth_key: authKey } });
}

/** `POST /os-volume-transfer/{id}/accept` (202). */
export async function acceptTransfer(req: Req) {
  checkProject(req);
  authorize(req, 'volume:accept_transfer');
  const body = bodyOf<Record<string, unknown>>(req, 'accept');
  if (typeof body.auth_key !== 'string')
    throw new CinderInvalid('Incorrect request body format: auth_key is required.');
  const t = await req.services.transfers.accept(callerOf(req), String(req.params.transfer_id), body.auth_key);
  return respond(202, { transfer: summaryView(req, { ...t, project_id: callerOf(req).projectId }) });
}

/** `DELETE /os-volume-transfer/{id}` (202). */
export async function deleteTransfer(req: Req) {
  checkProject(req);
  const t = await req.services.transfers.get(callerOf(req), String(req.params.transfer_id));
  authorize(req, 'volume:delete_transfer', t.project_id);
  await req.services.transfers.delete(callerOf(req), t.id);
  return respond(202);
}
