import { NotFoundError } from '@nimbus/errors';
import { respond } from '@nimbus/http';
import type { ServerGroup, ServerGroupPolicy } from '../../db/server-group-repository';
import { InvalidInput, QuotaExceeded } from '../../manager/compute-errors';
import { type ComputeRequest, isAdmin } from '../compute-request';

const HARD_POLICIES: ServerGroupPolicy[] = ['affinity', 'anti-affinity'];
const ALL_POLICIES: ServerGroupPolicy[] = [...HARD_POLICIES, 'soft-affinity', 'soft-anti-affinity'];

/** A group as the API shows it: `policies` + `metadata` before 2.64, `policy` + `rules` since. */
export function serverGroupView(req: ComputeRequest<unknown>, g: ServerGroup) {
  const mv = req.microversion;
  return {
    id: g.uuid,
    name: g.name,
    ...(mv.atLeast('2.64') ? { policy: g.policy, rules: g.rules } : { policies: [g.policy], metadata: {} }),
    members: g.members,
    ...(mv.atLeast('2.13') ? { project_id: g.projectId, user_id: g.userId } : {}),
  };
}

async function find(req: ComputeRequest<unknown>, action: string): Promise<ServerGroup> {
  const id = req.params.group_id!;
  const g = await req.services.serverGroups.get(id);
  // Another project's group does not exist for a caller who is not an admin.
  if (!g || (g.projectId !== req.credentials.projectId && !isAdmin(req)))
    throw new NotFoundError(`Instance group ${id} could not be found.`);
  req.authorize(action, { project_id: g.projectId, user_id: g.userId });
  return g;
}

function invalid(field: string, value: unknown, why: string): InvalidInput {
  return new InvalidInput(
    `Invalid input for field/attribute ${field}. Value: ${JSON.stringify(value)}. ${why}`,
  );
}

/** Parses a create body per microversion into a policy and its rules (Nova's schema messages). */
function parseCreate(req: ComputeRequest<Record<string, any>>): {
  name: string;
  policy: ServerGroupPolicy;
  rules: ServerGroup['rules'];
} {
  const mv = req.microversion;
  const body = req.body?.server_group;
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new InvalidInput(
      "Invalid input for field/attribute server_group. 'server_group' is a required property",
    );
  const allowed = mv.atLeast('2.64') ? ['name', 'policy', 'rules'] : ['name', 'policies'];
  for (const k of Object.keys(body))
    if (!allowed.includes(k))
      throw new InvalidInput(`Additional properties are not allowed ('${k}' was unexpected)`);
  const name = body.name;
  if (typeof name !== 'string' || name.length < 1 || name.length > 255 || name.trim() !== name)
    throw invalid('name', name, 'is not a valid name');
  const choices = mv.atLeast('2.15') ? ALL_POLICIES : HARD_POLICIES;
  if (!mv.atLeast('2.64')) {
    const p = body.policies;
    if (!Array.isArray(p)) throw invalid('policies', p, "'policies' is a required array");
    if (p.length !== 1) throw invalid('policies', p, 'exactly one policy is required');
    if (!choices.includes(p[0]))
      throw invalid('policies', p, `${JSON.stringify(p[0])} is not one of ${JSON.stringify(choices)}`);
    return { name, policy: p[0], rules: {} };
  }
  const policy = body.policy;
  if (!choices.includes(policy)) throw invalid('policy', policy, `is not one of ${JSON.stringify(choices)}`);
  const rules = body.rules ?? {};
  if (rules === null || typeof rules !== 'object' || Array.isArray(rules))
    throw invalid('rules', rules, 'is not an object');
  for (const k of Object.keys(rules))
    if (k !== 'max_server_per_host')
      throw new InvalidInput(`Additional properties are not allowed ('${k}' was unexpected)`);
  if (rules.max_server_per_host !== undefined) {
    const m = rules.max_server_per_host;
    const n = typeof m === 'string' && /^[0-9]+$/.test(m) ? Number(m) : m;
    if (!Number.isInteger(n) || n < 1) throw invalid('max_server_per_host', m, 'is not a positive integer');
    if (policy !== 'anti-affinity') throw new InvalidInput('Only anti-affinity policy supports rules.');
    return { name, policy, rules: { max_server_per_host: n } };
  }
  return { name, policy, rules: {} };
}

/** `POST /os-server-groups`. */
export async function createServerGroup(req: ComputeRequest<Record<string, any>>) {
  const projectId = req.credentials.projectId ?? '';
  req.authorize('os_compute_api:os-server-groups:create', {
    project_id: projectId,
    user_id: req.credentials.userId,
  });
  const input = parseCreate(req);
  const limit = (await req.services.quotas.limits(projectId)).server_groups;
  if (limit >= 0 && (await req.services.serverGroups.count(projectId)) >= limit)
    throw new QuotaExceeded('Quota exceeded, too many server groups.');
  const g = await req.services.serverGroups.create({ ...input, projectId, userId: req.credentials.userId });
  return { server_group: serverGroupView(req, g) };
}

/** `GET /os-server-groups`: the caller's project's groups, or all with `all_projects` (admin). */
export async function listServerGroups(req: ComputeRequest<unknown>) {
  const projectId = req.credentials.projectId ?? '';
  req.authorize('os_compute_api:os-server-groups:index', {
    project_id: projectId,
    user_id: req.credentials.userId,
  });
  const q = req.query as Record<string, string>;
  const all =
    q.all_projects !== undefined &&
    !['0', 'false', 'f', 'no', 'n', 'off'].includes(q.all_projects.toLowerCase()) &&
    req.allowed('os_compute_api:os-server-groups:index:all_projects', { project_id: projectId });
  let groups = await req.services.serverGroups.list(all ? {} : { projectId });
  const int = (name: string, v: string | undefined, min: number) => {
    if (v === undefined) return undefined;
    if (!/^-?[0-9]+$/.test(v) || Number(v) < min)
      throw new InvalidInput(`Invalid input for query parameters ${name}. Value: ${v}.`);
    return Number(v);
  };
  const offset = int('offset', q.offset, 0) ?? 0;
  const limit = Math.min(
    int('limit', q.limit, 1) ?? req.services.options.maxLimit,
    req.services.options.maxLimit,
  );
  groups = groups.slice(offset, offset + limit);
  return { server_groups: groups.map((g) => serverGroupView(req, g)) };
}

/** `GET /os-server-groups/{id}`. */
export async function showServerGroup(req: ComputeRequest<unknown>) {
  return { server_group: serverGroupView(req, await find(req, 'os_compute_api:os-server-groups:show')) };
}

/** `DELETE /os-server-groups/{id}`. */
export async function deleteServerGroup(req: ComputeRequest<unknown>) {
  const g = await find(req, 'os_compute_api:os-server-groups:delete');
  await req.services.serverGroups.delete(g.uuid);
  return respond(204);
}
