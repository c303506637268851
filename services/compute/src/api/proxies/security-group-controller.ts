import type { NetworkClient, SecurityGroupDocument } from '@nimbus/clients';
import { BadRequestError, ForbiddenError, NotFoundError } from '@nimbus/errors';
import { respond } from '@nimbus/http';
import { type ComputeRequest, findServer, isAdmin } from '../compute-request';
import {
  fromBody,
  isUuidLike,
  limited,
  networkFor,
  ownProject,
  remoteStatus,
  translating,
} from './proxy-request';
import {
  byProjectAndName,
  type GroupRef,
  groupRef,
  ingressRules,
  securityGroupView,
} from './security-group-view';

const P = 'os_compute_api:os-security-groups';
const code = { code: 'COMPUTE_SECURITY_GROUP' };

/** Nova's "Security group id should be uuid" (400) for an id that is not one. */
export function validGroupId(id: unknown): string {
  if (!isUuidLike(id)) throw new BadRequestError('Security group id should be uuid', code);
  return id;
}

/** A group with its rules; the network service's 404 message becomes Nova's 404. */
export function getGroup(network: NetworkClient, id: string): Promise<SecurityGroupDocument> {
  return translating(() => network.getSecurityGroup(id), {
    404: (m) => new NotFoundError(m, { code: 'COMPUTE_SECURITY_GROUP_NOT_FOUND' }),
  });
}

/**
 * The remote groups the rules of `groups` name, looked up once each: the listed groups
 * themselves first, then the others (a group gone or hidden is left out).
 */
export async function remoteGroups(
  network: NetworkClient,
  groups: SecurityGroupDocument[],
): Promise<Map<string, GroupRef>> {
  const known = new Map(groups.map((g) => [g.id, groupRef(g)] as const));
  const wanted = new Set(
    groups.flatMap((g) => ingressRules(g).map((r) => r.groupId)).filter((id): id is string => !!id),
  );
  for (const id of wanted) {
    if (known.has(id)) continue;
    try {
      known.set(id, groupRef(await network.getSecurityGroup(id)));
    } catch (err) {
      if (remoteStatus(err) !== 404) throw err;
    }
  }
  return known;
}

async function view(network: NetworkClient, group: SecurityGroupDocument) {
  return { security_group: securityGroupView(group, await remoteGroups(network, [group])) };
}

/** Nova's name and description check: a string of at most 255 characters. */
function checkProperty(value: unknown, name: string): string {
  if (typeof value !== 'string')
    throw new BadRequestError(`${name} is not a string or unicode`, { code: 'COMPUTE_INVALID_INPUT' });
  if (value.length > 255)
    throw new BadRequestError(`${name} has ${value.length} characters, more than 255.`, {
      code: 'COMPUTE_INVALID_INPUT',
    });
  return value;
}

/** `GET /os-security-groups` (`all_tenants` lists every project's for an admin). */
export async function listSecurityGroups(req: ComputeRequest) {
  req.authorize(`${P}:get`, ownProject(req));
  const network = networkFor(req);
  const all = isAdmin(req) && 'all_tenants' in (req.query as object);
  const groups = await network.listSecurityGroups(all ? {} : { project_id: req.credentials.projectId ?? '' });
  const page = limited(req, groups);
  const remotes = await remoteGroups(network, page);
  return { security_groups: page.map((g) => securityGroupView(g, remotes)).sort(byProjectAndName) };
}

/** `GET /os-security-groups/{id}`. */
export async function showSecurityGroup(req: ComputeRequest) {
  req.authorize(`${P}:show`, ownProject(req));
  const network = networkFor(req);
  return view(network, await getGroup(network, validGroupId(req.params.group_id)));
}

/** `POST /os-security-groups`. */
export async function createSecurityGroup(req: ComputeRequest) {
  req.authorize(`${P}:create`, ownProject(req));
  const body = fromBody(req.body, 'security_group');
  const name = checkProperty(body.name ?? null, 'name');
  const description = checkProperty(body.description ?? null, 'description');
  const network = networkFor(req);
  const group = await translating(() => network.createSecurityGroup({ name, description }), {
    400: (m) => new BadRequestError(m, code),
    409: (m) => new ForbiddenError(m, code),
  });
  return view(network, group);
}

/** `PUT /os-security-groups/{id}`. */
export async function updateSecurityGroup(req: ComputeRequest) {
  req.authorize(`${P}:update`, ownProject(req));
  const network = networkFor(req);
  const existing = await getGroup(network, validGroupId(req.params.group_id));
  const body = fromBody(req.body, 'security_group');
  const name = checkProperty(body.name ?? null, 'name');
  const description = checkProperty(body.description ?? null, 'description');
  const group = await translating(() => network.updateSecurityGroup(existing.id, { name, description }), {
    400: (m) => new BadRequestError(m, code),
    404: (m) => new NotFoundError(m, code),
  });
  return view(network, group);
}

/** `DELETE /os-security-groups/{id}`: 400 for the default group or one still in use, as Nova. */
export async function deleteSecurityGroup(req: ComputeRequest) {
  req.authorize(`${P}:delete`, ownProject(req));
  const network = networkFor(req);
  const group = await getGroup(network, validGroupId(req.params.group_id));
  await translating(() => network.deleteSecurityGroup(group.id), {
    404: (m) => new NotFoundError(m, code),
    409: (m) => new BadRequestError(m, code),
  });
  return respond(202);
}

/** `GET /servers/{id}/os-security-groups`: the groups of the server's ports, with their rules. */
export async function listServerSecurityGroups(req: ComputeRequest) {
  const instance = await findServer(req, req.params.server_id!, 'os_compute_api:servers:show');
  req.authorize(`${P}:list`, { project_id: instance.projectId });
  const network = networkFor(req);
  const ports = await network.listPorts({ device_id: instance.uuid });
  const ids = [...new Set(ports.flatMap((p) => p.security_groups ?? []))];
  const groups: SecurityGroupDocument[] = [];
  for (const id of ids) {
    try {
      groups.push(await network.getSecurityGroup(id));
    } catch (err) {
      // A group the caller may not see is not shown (Nova filters the same way).
      if (remoteStatus(err) !== 404) throw err;
    }
  }
  const remotes = await remoteGroups(network, groups);
  // One entry per port a group is on, as Nova lists them.
  const perPort = ports.flatMap((p) =>
    (p.security_groups ?? []).map((id) => groups.find((g) => g.id === id)).filter((g) => !!g),
  );
  return {
    security_groups: perPort.map((g) => securityGroupView(g, remotes)).sort(byProjectAndName),
  };
}
