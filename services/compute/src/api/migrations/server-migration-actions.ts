import { respond } from '@nimbus/http';
import { InvalidInput } from '../../manager/compute-errors';
import { type ComputeRequest, callerContext, findServer } from '../compute-request';

/** `POST /servers/{id}/migrations/{migration_id}/action` `{force_complete: null}` (2.22). */
export async function forceCompleteMigration(req: ComputeRequest<Record<string, unknown>>) {
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:servers:show');
  const body = req.body ?? {};
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'force_complete')
    throw new InvalidInput(`There is no such action: ${keys[0] ?? ''}`);
  if (body.force_complete !== null)
    throw new InvalidInput(
      `Invalid input for field/attribute force_complete. Value: ${JSON.stringify(body.force_complete)}. ${JSON.stringify(body.force_complete)} is not of type 'null'`,
    );
  req.authorize('os_compute_api:servers:migrations:force_complete', { project_id: i.projectId });
  await req.services.liveMigrations.forceComplete(callerContext(req), i, Number(req.params.migration_id));
  return respond(202);
}

/** `DELETE /servers/{id}/migrations/{migration_id}` (2.24): aborts a live migration. */
export async function abortMigration(req: ComputeRequest<unknown>) {
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:servers:show');
  req.authorize('os_compute_api:servers:migrations:delete', { project_id: i.projectId });
  await req.services.liveMigrations.abort(callerContext(req), i, Number(req.params.migration_id));
  return respond(202);
}
