import { isIP } from 'node:net';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '@nimbus/errors';
import { respond } from '@nimbus/http';
import type { Instance } from '../../db/instance-repository';
import { InstanceNotFound } from '../../manager/compute-errors';
import type { ComputeRequest } from '../compute-request';
import { floatingIpByAddress } from './floating-ip-controller';
import { networkFor, remoteStatus } from './proxy-request';

const P = 'os_compute_api:os-floating-ips';
const invalid = (m: string) => new BadRequestError(m, { code: 'COMPUTE_INVALID_INPUT' });

/** The body of add/removeFloatingIp checked against Nova's schema (`address` and, to add, `fixed_address`). */
function addressBody(action: string, value: unknown, allowed: string[]): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw invalid(
      `Invalid input for field/attribute ${action}. Value: ${JSON.stringify(value)}. ${JSON.stringify(value)} is not of type 'object'`,
    );
  const body = value as Record<string, unknown>;
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length) throw invalid(`Additional properties are not allowed ('${extra[0]}' was unexpected)`);
  if (!('address' in body)) throw invalid("'address' is a required property");
  for (const key of allowed) {
    if (!(key in body)) continue;
    const v = body[key];
    if (typeof v !== 'string' || isIP(v) === 0)
      throw invalid(
        `Invalid input for field/attribute ${key}. Value: ${String(v)}. '${String(v)}' is not valid under any of the given schemas`,
      );
  }
  return body as Record<string, string>;
}

/** The action's 404 past 2.43, as a microversioned Nova action answers. */
function checkVersion(req: ComputeRequest) {
  if (req.microversion.atLeast('2.44')) throw new NotFoundError('The resource could not be found.');
}

/** `addFloatingIp` and `removeFloatingIp` server actions (deprecated: 2.1 to 2.43). */
export const floatingIpActions = {
  async addFloatingIp(req: ComputeRequest<Record<string, any>>, i: Instance, value: unknown) {
    checkVersion(req);
    req.authorize(`${P}:add`, { project_id: i.projectId });
    const body = addressBody('addFloatingIp', value, ['address', 'fixed_address']);
    const network = networkFor(req);
    const ports = await network.listPorts({ device_id: i.uuid });
    if (!ports.length) throw invalid('Instance network is not ready yet');
    const fixed = ports.flatMap((p) => p.fixed_ips.map((f) => ({ port: p.id, address: f.ip_address })));
    if (!fixed.length) throw invalid('No fixed IPs associated to instance');
    let chosen = fixed.find((f) => isIP(f.address) === 4);
    if (body.fixed_address !== undefined) {
      chosen = fixed.find((f) => f.address === body.fixed_address);
      if (!chosen) throw invalid('Specified fixed address not assigned to instance');
    }
    if (!chosen)
      throw invalid(
        `Unable to associate floating IP ${body.address} to any fixed IPs for instance ${i.uuid}. Instance has no fixed IPv4 addresses to associate.`,
      );
    const fip = await floatingIpByAddress(network, body.address!, 'floating IP not found');
    try {
      await network.updateFloatingIp(fip.id, { port_id: chosen.port, fixed_ip_address: chosen.address });
    } catch (err) {
      const status = remoteStatus(err);
      if (status === 409) throw invalid((err as Error).message);
      if (status === 403) throw new ForbiddenError((err as Error).message);
      throw invalid(
        `Unable to associate floating IP ${body.address} to fixed IP ${chosen.address} for instance ${i.uuid}. Error: ${(err as Error).message}`,
      );
    }
    return respond(202);
  },

  async removeFloatingIp(req: ComputeRequest<Record<string, any>>, i: Instance, value: unknown) {
    checkVersion(req);
    const body = addressBody('removeFloatingIp', value, ['address']);
    const network = networkFor(req);
    const fip = await floatingIpByAddress(network, body.address!);
    let owner: Instance | undefined;
    if (fip.port_id) {
      let deviceId: string | undefined;
      try {
        deviceId = (await network.getPort(fip.port_id)).device_id || undefined;
      } catch (err) {
        if (remoteStatus(err) !== 404) throw err;
      }
      if (deviceId) {
        owner = await req.services.instances.get(deviceId);
        if (!owner) throw new InstanceNotFound(deviceId);
      }
    }
    req.authorize(`${P}:remove`, owner ? { project_id: owner.projectId } : {});
    if (!owner || owner.uuid !== i.uuid)
      throw new ConflictError(`Floating IP ${body.address} is not associated with instance ${i.uuid}.`, {
        code: 'COMPUTE_FLOATING_IP_NOT_ASSOCIATED',
      });
    await network.updateFloatingIp(fip.id, { port_id: null });
    return respond(202);
  },
};
