import { respond } from '@nimbus/http';
import type { Instance } from '../../db/instance-repository';
import type { UnshelveTarget } from '../../manager/actions/shelve-actions';
import { InvalidInput } from '../../manager/compute-errors';
import { type ComputeRequest, callerContext } from '../compute-request';

type Handler = (req: ComputeRequest<Record<string, any>>, i: Instance, value: any) => Promise<unknown>;

const HOST = /^[a-zA-Z0-9-._]{1,255}$/;

const bad = (field: string, value: unknown, why: string) =>
  new InvalidInput(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(value)}. ${why}`);

const target = (i: Instance) => ({ project_id: i.projectId, user_id: i.userId });

/** The `unshelve` body per microversion: null; 2.77 `{availability_zone}`; 2.91 adds `host` and a null zone. */
function unshelveTarget(req: ComputeRequest<unknown>, value: any): UnshelveTarget {
  const mv = req.microversion;
  // Before 2.77 upstream reads no body at all (clients send null or {}).
  if (value === null || value === undefined || !mv.atLeast('2.77')) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw bad('unshelve', value, "is not of type 'object', 'null'");
  const allowed = mv.atLeast('2.91') ? ['availability_zone', 'host'] : ['availability_zone'];
  const extra = Object.keys(value).filter((k) => !allowed.includes(k));
  if (extra.length)
    throw new InvalidInput(`Additional properties are not allowed ('${extra[0]}' was unexpected)`);
  if (mv.atLeast('2.91')) {
    if (Object.keys(value).length === 0) throw bad('unshelve', value, 'does not have enough properties');
  } else if (value.availability_zone === undefined) {
    throw new InvalidInput("'availability_zone' is a required property");
  }
  const out: UnshelveTarget = {};
  const az = value.availability_zone;
  if (az !== undefined) {
    if (az === null) {
      if (!mv.atLeast('2.91')) throw bad('availability_zone', az, "is not of type 'string'");
      out.availabilityZone = null;
    } else if (typeof az !== 'string' || az.length < 1 || az.length > 255 || az.trim() !== az) {
      throw bad('availability_zone', az, 'is not a valid name');
    } else out.availabilityZone = az;
  }
  if (value.host !== undefined) {
    if (typeof value.host !== 'string' || !HOST.test(value.host))
      throw bad('host', value.host, 'is not a valid hostname');
    out.host = value.host;
  }
  return out;
}

/** shelve, shelveOffload and unshelve (by body key). */
export const shelveActions: Record<string, Handler> = {
  // shelve and shelveOffload take no body; upstream does not check what comes (clients send {}).
  async shelve(req, i) {
    req.authorize('os_compute_api:os-shelve:shelve', target(i));
    await req.services.shelves.shelve(callerContext(req), i);
    return respond(202);
  },
  async shelveOffload(req, i) {
    req.authorize('os_compute_api:os-shelve:shelve_offload', target(i));
    await req.services.shelves.offload(callerContext(req), i);
    return respond(202);
  },
  async unshelve(req, i, value) {
    const to = unshelveTarget(req, value);
    req.authorize('os_compute_api:os-shelve:unshelve', target(i));
    if (to.host !== undefined) req.authorize('os_compute_api:os-shelve:unshelve_to_host', target(i));
    await req.services.shelves.unshelve(callerContext(req), i, to);
    return respond(202);
  },
};
