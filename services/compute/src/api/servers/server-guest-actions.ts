import { NotImplementedError } from '@nimbus/errors';
import { respond } from '@nimbus/http';
import type { Instance } from '../../db/instance-repository';
import { InvalidInput } from '../../manager/compute-errors';
import { type ComputeRequest, callerContext } from '../compute-request';

type Handler = (req: ComputeRequest<Record<string, any>>, i: Instance, value: any) => Promise<unknown>;

const target = (i: Instance) => ({ project_id: i.projectId, user_id: i.userId });

/** changePassword, trigger_crash_dump, restore and forceDelete (by body key). */
export const guestExtraActions: Record<string, Handler> = {
  async changePassword(req, i, value) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new InvalidInput(
        `Invalid input for field/attribute changePassword. Value: ${value}. ${value} is not of type 'object'`,
      );
    const extra = Object.keys(value).filter((k) => k !== 'adminPass');
    if (extra.length)
      throw new InvalidInput(`Additional properties are not allowed ('${extra[0]}' was unexpected)`);
    if (value.adminPass === undefined) throw new InvalidInput("'adminPass' is a required property");
    if (typeof value.adminPass !== 'string')
      throw new InvalidInput(
        `Invalid input for field/attribute adminPass. Value: ${value.adminPass}. ${JSON.stringify(value.adminPass)} is not of type 'string'`,
      );
    req.authorize('os_compute_api:os-admin-password', target(i));
    await req.services.guestExtras.changePassword(callerContext(req), i, value.adminPass);
    return respond(202);
  },
  async trigger_crash_dump(req, i, value) {
    if (!req.microversion.atLeast('2.17'))
      throw new InvalidInput('There is no such action: trigger_crash_dump');
    if (value !== null)
      throw new InvalidInput(
        `Invalid input for field/attribute trigger_crash_dump. Value: ${JSON.stringify(value)}. ${JSON.stringify(value)} is not of type 'null'`,
      );
    req.authorize('os_compute_api:servers:trigger_crash_dump', target(i));
    await req.services.guestExtras.triggerCrashDump(callerContext(req), i);
    return respond(202);
  },
  async restore(req, i) {
    req.authorize('os_compute_api:os-deferred-delete:restore', target(i));
    req.services.guestExtras.checkSoftDeleted('restore', i);
    throw new NotImplementedError('Restoring a soft-deleted server is not implemented by this cloud yet.');
  },
  async forceDelete(req, i) {
    req.authorize('os_compute_api:os-deferred-delete:force', target(i));
    req.services.guestExtras.checkSoftDeleted('forceDelete', i);
    throw new NotImplementedError(
      'Force-deleting a soft-deleted server is not implemented by this cloud yet.',
    );
  },
};
