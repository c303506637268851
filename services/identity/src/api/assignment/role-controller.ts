import type { JsonSchema } from '@nimbus/http';
import { route, type Route } from '@nimbus/http';
import type { RoleRecord } from '../../db/repositories/role-repository';
import type { AssignmentManager } from '../../manager/assignment/assignment-manager';
import type { RoleManager } from '../../manager/assignment/role-manager';
import { collection, type IdentityRequest, queryValue } from '../keystone-api';
import { roleBody, roleRef } from './role-view';

/** What the role and assignment controllers read of `req.services`. */
export interface AssignmentServices {
  roles: RoleManager;
  assignments: AssignmentManager;
}

type Req<B = any> = IdentityRequest<B, AssignmentServices>;

const roleProperties = {
  name: { type: 'string', minLength: 1, maxLength: 255, pattern: '[\\S]+' },
  description: { type: ['string', 'null'], maxLength: 255 },
  domain_id: { type: ['string', 'null'], minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' },
  options: {
    type: 'object',
    properties: { immutable: { type: ['boolean', 'null'] } },
    additionalProperties: false,
  },
};
const createRoleBody: JsonSchema = {
  type: 'object',
  required: ['role'],
  properties: {
    role: { type: 'object', required: ['name'], properties: roleProperties, additionalProperties: true },
  },
};
const updateRoleBody: JsonSchema = {
  type: 'object',
  required: ['role'],
  properties: {
    role: { type: 'object', minProperties: 1, properties: roleProperties, additionalProperties: true },
  },
};

/** Domain-specific roles answer to the `*_domain_role` rules, as in Keystone. */
const action = (verb: string, r: { domainId: string | null } | undefined) =>
  `identity:${verb}_${r?.domainId ? 'domain_role' : 'role'}`;
const roleTarget = (r: RoleRecord) => ({ target: { role: { id: r.id, domain_id: r.domainId } } });

async function listRoles(req: Req) {
  const domainId = queryValue(req, 'domain_id');
  req.authorize(
    domainId ? 'identity:list_domain_roles' : 'identity:list_roles',
    domainId ? { target: { domain_id: domainId } } : {},
  );
  const name = queryValue(req, 'name');
  const roles = await req.services.roles.list({
    domainId: domainId ?? null,
    ...(name !== undefined ? { name } : {}),
  });
  return collection(
    req,
    'roles',
    roles.map((r) => roleBody(req, r)),
  );
}

async function getRole(req: Req) {
  const r = await req.services.roles.get(req.params.role_id!);
  req.authorize(action('get', r), roleTarget(r));
  return { role: roleBody(req, r) };
}

async function createRole(req: Req<{ role: Record<string, any> }>) {
  const b = req.body.role;
  req.authorize(action('create', { domainId: b.domain_id ?? null }), {
    target: { role: { domain_id: b.domain_id ?? null } },
  });
  const r = await req.services.roles.create({
    name: b.name,
    domainId: b.domain_id ?? null,
    description: b.description ?? '',
    options: b.options ?? {},
  });
  return { role: roleBody(req, r) };
}

async function updateRole(req: Req<{ role: Record<string, any> }>) {
  const before = await req.services.roles.get(req.params.role_id!);
  req.authorize(action('update', before), roleTarget(before));
  const b = req.body.role;
  const r = await req.services.roles.update(before.id, {
    ...(b.name !== undefined ? { name: b.name } : {}),
    ...(b.description !== undefined ? { description: b.description ?? '' } : {}),
    ...(b.options !== undefined ? { options: b.options } : {}),
  });
  return { role: roleBody(req, r) };
}

async function deleteRole(req: Req) {
  const r = await req.services.roles.get(req.params.role_id!);
  req.authorize(action('delete', r), roleTarget(r));
  await req.services.roles.delete(r.id);
}

function inferenceBody(req: Req, prior: RoleRecord, implied: RoleRecord) {
  return {
    role_inference: { prior_role: roleRef(req, prior), implies: roleRef(req, implied) },
    links: { self: `${req.baseUrl}/v3/roles/${prior.id}/implies/${implied.id}` },
  };
}

async function createImplied(req: Req) {
  req.authorize('identity:create_implied_role', {});
  const { prior, implied } = await req.services.roles.createImplied(
    req.params.role_id!,
    req.params.implied_role_id!,
  );
  return inferenceBody(req, prior, implied);
}

async function getImplied(req: Req) {
  req.authorize('identity:get_implied_role', {});
  const { prior, implied } = await req.services.roles.getImplied(
    req.params.role_id!,
    req.params.implied_role_id!,
  );
  return inferenceBody(req, prior, implied);
}

async function checkImplied(req: Req) {
  req.authorize('identity:check_implied_role', {});
  await req.services.roles.getImplied(req.params.role_id!, req.params.implied_role_id!);
}

async function deleteImplied(req: Req) {
  req.authorize('identity:delete_implied_role', {});
  await req.services.roles.deleteImplied(req.params.role_id!, req.params.implied_role_id!);
}

async function listImplied(req: Req) {
  req.authorize('identity:list_implied_roles', {});
  const prior = await req.services.roles.get(req.params.role_id!);
  const implies = await req.services.roles.impliedBy(prior.id);
  return {
    role_inference: { prior_role: roleRef(req, prior), implies: implies.map((r) => roleRef(req, r)) },
    links: { self: `${req.baseUrl}/v3/roles/${prior.id}/implies` },
  };
}

async function listInferences(req: Req) {
  req.authorize('identity:list_role_inference_rules', {});
  const rules = await req.services.roles.rules();
  const priors = [...new Set(rules.map((r) => r.priorRoleId))];
  const out = [];
  for (const priorId of priors) {
    const prior = await req.services.roles.find(priorId);
    if (!prior) continue;
    const implies = await req.services.roles.byIds(
      rules.filter((r) => r.priorRoleId === priorId).map((r) => r.impliedRoleId),
    );
    out.push({ prior_role: roleRef(req, prior), implies: implies.map((r) => roleRef(req, r)) });
  }
  return { role_inferences: out, links: { self: `${req.baseUrl}/v3/role_inferences` } };
}

/** `/v3/roles`, implied roles and `/v3/role_inferences`. */
export const roleRoutes: Route[] = [
  route('GET', '/v3/roles', listRoles),
  route('POST', '/v3/roles', createRole, { body: createRoleBody, status: 201 }),
  route('GET', '/v3/roles/:role_id', getRole),
  route('PATCH', '/v3/roles/:role_id', updateRole, { body: updateRoleBody }),
  route('DELETE', '/v3/roles/:role_id', deleteRole),
  route('GET', '/v3/roles/:role_id/implies', listImplied),
  route('PUT', '/v3/roles/:role_id/implies/:implied_role_id', createImplied, { status: 201 }),
  route('GET', '/v3/roles/:role_id/implies/:implied_role_id', getImplied),
  route('HEAD', '/v3/roles/:role_id/implies/:implied_role_id', checkImplied),
  route('DELETE', '/v3/roles/:role_id/implies/:implied_role_id', deleteImplied),
  route('GET', '/v3/role_inferences', listInferences),
];
