import { respond } from '@nimbus/http';
import type { Instance } from '../../db/instance-repository';
import { InvalidInput } from '../../manager/compute-errors';
import { type ComputeRequest, callerContext } from '../compute-request';
import { randomPassword } from './server-controller';

type Handler = (req: ComputeRequest<Record<string, any>>, i: Instance, value: any) => Promise<unknown>;

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

const bad = (field: string, value: unknown, why: string) =>
  new InvalidInput(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(value)}. ${why}`);

const target = (i: Instance) => ({ project_id: i.projectId, user_id: i.userId });

/** rescue and unrescue (by body key). */
export const rescueActions: Record<string, Handler> = {
  async rescue(req, i, value) {
    let adminPass: string | undefined;
    let rescueImageRef: string | undefined;
    if (value !== null && value !== undefined) {
      if (typeof value !== 'object' || Array.isArray(value))
        throw bad('rescue', value, "is not of type 'object', 'null'");
      const extra = Object.keys(value).filter((k) => k !== 'adminPass' && k !== 'rescue_image_ref');
      if (extra.length)
        throw new InvalidInput(`Additional properties are not allowed ('${extra[0]}' was unexpected)`);
      if (value.adminPass !== undefined) {
        if (typeof value.adminPass !== 'string')
          throw bad('adminPass', value.adminPass, "is not of type 'string'");
        adminPass = value.adminPass;
      }
      if (value.rescue_image_ref !== undefined) {
        if (typeof value.rescue_image_ref !== 'string' || !UUID.test(value.rescue_image_ref))
          throw bad('rescue_image_ref', value.rescue_image_ref, "is not a 'uuid'");
        rescueImageRef = value.rescue_image_ref;
      }
    }
    req.authorize('os_compute_api:os-rescue', target(i));
    const password = adminPass ?? randomPassword();
    await req.services.rescues.rescue(callerContext(req), i, {
      adminPassword: password,
      ...(rescueImageRef ? { rescueImageRef } : {}),
    });
    return respond(200, { adminPass: password });
  },
  // unrescue takes no body; upstream does not check what comes (clients send {}).
  async unrescue(req, i) {
    req.authorize('os_compute_api:os-unrescue', target(i));
    await req.services.rescues.unrescue(callerContext(req), i);
    return respond(202);
  },
};
