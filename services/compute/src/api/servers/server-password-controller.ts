import { respond } from '@nimbus/http';
import { type ComputeRequest, findServer } from '../compute-request';

/** `GET /servers/{id}/os-server-password`: the encrypted password the guest posted ('' when none). */
export async function showServerPassword(req: ComputeRequest<unknown>) {
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:os-server-password:show');
  return { password: req.services.guestExtras.password(i) };
}

/** `DELETE /servers/{id}/os-server-password`: forgets it (204). */
export async function clearServerPassword(req: ComputeRequest<unknown>) {
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:os-server-password:clear');
  await req.services.guestExtras.clearPassword(i);
  return respond(204);
}
