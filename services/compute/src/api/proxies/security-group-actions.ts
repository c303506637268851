import type { NetworkClient, PortDocument } from '@nimbus/clients';
import { BadRequestError, ConflictError, NotFoundError } from '@nimbus/errors';
import { respond } from '@nimbus/http';
import type { Instance } from '../../db/instance-repository';
import type { ComputeRequest } from '../compute-request';
import { isUuidLike, networkFor, remoteStatus, translating } from './proxy-request';

const P = 'os_compute_api:os-security-groups';
const notFound = (m: string) => new NotFoundError(m, { code: 'COMPUTE_SECURITY_GROUP_NOT_FOUND' });

/** The group name of an add/removeSecurityGroup body, with Nova's messages. */
function groupName(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new BadRequestError('Missing parameter dict', { code: 'COMPUTE_INVALID_INPUT' });
  if (!('name' in value))
    throw new BadRequestError('Security group not specified', { code: 'COMPUTE_INVALID_INPUT' });
  const name = (value as { name: unknown }).name;
  if (typeof name !== 'string' || name.trim() === '')
    throw new BadRequestError('Security group name cannot be empty', { code: 'COMPUTE_INVALID_INPUT' });
  return name;
}

/** A group id by id or by name in the caller's project, as neutronclient's find does. */
async function findGroupId(network: NetworkClient, req: ComputeRequest, name: string): Promise<string> {
  const projectId = req.credentials.projectId ?? '';
  if (isUuidLike(name)) {
    try {
      return (await network.getSecurityGroup(name)).id;
    } catch (err) {
      if (remoteStatus(err) !== 404) throw err;
    }
  }
  const found = await network.listSecurityGroups({ name, project_id: projectId });
  if (found.length > 1)
    throw new ConflictError(
      `Multiple security_group matches found for name '${name}', use an ID to be more specific.`,
      { code: 'COMPUTE_NO_UNIQUE_MATCH' },
    );
  if (!found.length) throw notFound(`Security group ${name} is not found for project ${projectId}`);
  return found[0]!.id;
}

async function serverPorts(network: NetworkClient, instance: Instance): Promise<PortDocument[]> {
  const ports = await network.listPorts({ device_id: instance.uuid });
  if (!ports.length)
    throw notFound(`instance_id ${instance.uuid} could not be found as device id on any ports`);
  return ports;
}

/** A port security groups can apply to: port security on, and an address (or one deferred). */
function takesSecurityGroups(port: PortDocument): boolean {
  const hasAddress = port.fixed_ips?.length > 0 || port.ip_allocation === 'deferred';
  return hasAddress && port.port_security_enabled !== false;
}

const CANNOT_APPLY =
  'Network requires port_security_enabled and subnet associated in order to apply security groups.';

/** `addSecurityGroup` and `removeSecurityGroup` server actions (not deprecated: every microversion). */
export const securityGroupActions = {
  async addSecurityGroup(req: ComputeRequest<Record<string, any>>, i: Instance, value: unknown) {
    req.authorize(`${P}:add`, { project_id: i.projectId });
    const name = groupName(value);
    const network = networkFor(req);
    const id = await findGroupId(network, req, name);
    for (const port of await serverPorts(network, i)) {
      if (!takesSecurityGroups(port))
        throw new BadRequestError(CANNOT_APPLY, { code: 'COMPUTE_SG_CANNOT_APPLY' });
      const groups = [...new Set([...(port.security_groups ?? []), id])];
      await translating(() => network.updatePort(port.id, { security_groups: groups }), {
        400: (m) => new BadRequestError(m, { code: 'COMPUTE_SG_CANNOT_APPLY' }),
      });
    }
    return respond(202);
  },

  async removeSecurityGroup(req: ComputeRequest<Record<string, any>>, i: Instance, value: unknown) {
    req.authorize(`${P}:remove`, { project_id: i.projectId });
    const name = groupName(value);
    const network = networkFor(req);
    const id = await findGroupId(network, req, name);
    let found = false;
    for (const port of await serverPorts(network, i)) {
      const groups = port.security_groups ?? [];
      if (!groups.includes(id)) continue;
      await network.updatePort(port.id, { security_groups: groups.filter((g) => g !== id) });
      found = true;
    }
    if (!found) throw notFound(`Security group ${name} not associated with the instance ${i.uuid}`);
    return respond(202);
  },
};
