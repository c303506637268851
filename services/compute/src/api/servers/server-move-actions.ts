import { respond } from '@nimbus/http';
import type { Instance } from '../../db/instance-repository';
import { InvalidInput } from '../../manager/compute-errors';
import { type ComputeRequest, callerContext } from '../compute-request';

type Handler = (req: ComputeRequest<Record<string, any>>, i: Instance, value: any) => Promise<unknown>;

const target = (i: Instance) => ({ project_id: i.projectId, user_id: i.userId });

function onlyKeys(action: string, value: Record<string, unknown>, allowed: string[]): void {
  const extra = Object.keys(value).filter((k) => !allowed.includes(k));
  if (extra.length)
    throw new InvalidInput(
      `Invalid input for field/attribute ${action}. Value: ${JSON.stringify(value)}. Additional properties are not allowed ('${extra[0]}' was unexpected)`,
    );
}

/** The move actions: resize, confirmResize, revertResize, migrate (by body key). */
export const moveActions: Record<string, Handler> = {
  async resize(req, i, value) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new InvalidInput(
        `Invalid input for field/attribute resize. Value: ${value}. ${value} is not of type 'object'`,
      );
    onlyKeys('resize', value, ['flavorRef', 'OS-DCF:diskConfig']);
    const ref = value.flavorRef;
    if (ref === undefined) throw new InvalidInput("'flavorRef' is a required property");
    if ((typeof ref !== 'string' && typeof ref !== 'number') || String(ref).length === 0)
      throw new InvalidInput(
        `Invalid input for field/attribute flavorRef. Value: ${ref}. ${JSON.stringify(ref)} is not of type 'string', 'integer'`,
      );
    const disk = value['OS-DCF:diskConfig'];
    if (disk !== undefined && disk !== 'AUTO' && disk !== 'MANUAL')
      throw new InvalidInput(
        `Invalid input for field/attribute OS-DCF:diskConfig. Value: ${disk}. '${disk}' is not one of ['AUTO', 'MANUAL']`,
      );
    req.authorize('os_compute_api:servers:resize', target(i));
    await req.services.moves.resize(callerContext(req), i, String(ref));
    return respond(202);
  },
  async confirmResize(req, i) {
    req.authorize('os_compute_api:servers:confirm_resize', target(i));
    await req.services.moves.confirm(callerContext(req), i);
    return respond(204);
  },
  async revertResize(req, i) {
    req.authorize('os_compute_api:servers:revert_resize', target(i));
    await req.services.moves.revert(callerContext(req), i);
    return respond(202);
  },
  async migrate(req, i, value) {
    let host: string | undefined;
    if (value !== null && value !== undefined) {
      if (typeof value !== 'object' || Array.isArray(value))
        throw new InvalidInput(
          `Invalid input for field/attribute migrate. Value: ${value}. ${value} is not of type 'null'`,
        );
      if (req.microversion.atLeast('2.56')) {
        onlyKeys('migrate', value, ['host']);
        if (value.host !== undefined && value.host !== null) {
          if (typeof value.host !== 'string' || !/^[a-zA-Z0-9-._]{1,255}$/.test(value.host))
            throw new InvalidInput(`Invalid input for field/attribute host. Value: ${value.host}.`);
          host = value.host;
        }
      } else if (Object.keys(value).length) {
        throw new InvalidInput(
          `Invalid input for field/attribute migrate. Value: ${JSON.stringify(value)}. ${JSON.stringify(value)} is not of type 'null'`,
        );
      }
    }
    req.authorize('os_compute_api:os-migrate-server:migrate', target(i));
    await req.services.moves.migrate(callerContext(req), i, host);
    return respond(202);
  },
};
