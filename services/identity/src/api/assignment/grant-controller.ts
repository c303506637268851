import { route, type Route } from '@nimbus/http';
import type { Actor, GrantTarget } from '../../manager/assignment/assignment-manager';
import { collection, type IdentityRequest } from '../keystone-api';
import type { AssignmentServices } from './role-controller';
import { roleBody } from './role-view';

type Req = IdentityRequest<unknown, AssignmentServices>;
type Kind = 'project' | 'domain' | 'system';

function parse(req: Req, kind: Kind, who: 'user' | 'group'): { actor: Actor; target: GrantTarget } {
  const actor: Actor = who === 'user' ? { userId: req.params.user_id! } : { groupId: req.params.group_id! };
  const target: GrantTarget =
    kind === 'project'
      ? { projectId: req.params.project_id! }
      : kind === 'domain'
        ? { domainId: req.params.domain_id! }
        : { system: true };
  return { actor, target };
}

/** Keystone's grant policy target: the actor, the target and the role with their domains. */
async function policyTarget(req: Req, actor: Actor, target: GrantTarget): Promise<Record<string, unknown>> {
  return { target: await req.services.assignments.policyContext(actor, target, req.params.role_id) };
}

function systemAction(verb: string, who: 'user' | 'group'): string {
  const names: Record<string, string> = {
    put: 'create_system_grant_for',
    check: 'check_system_grant_for',
    delete: 'revoke_system_grant_for',
    list: 'list_system_grants_for',
  };
  return `identity:${names[verb]}_${who}`;
}

function handlers(kind: Kind, who: 'user' | 'group', inherited: boolean) {
  const act = (verb: 'put' | 'check' | 'delete' | 'list') =>
    kind === 'system'
      ? systemAction(verb, who)
      : {
          put: 'identity:create_grant',
          check: 'identity:check_grant',
          delete: 'identity:revoke_grant',
          list: 'identity:list_grants',
        }[verb];
  return {
    async put(req: Req) {
      const { actor, target } = parse(req, kind, who);
      req.authorize(act('put'), await policyTarget(req, actor, target));
      await req.services.assignments.grant(actor, target, req.params.role_id!, inherited);
    },
    async check(req: Req) {
      const { actor, target } = parse(req, kind, who);
      req.authorize(act('check'), await policyTarget(req, actor, target));
      await req.services.assignments.check(actor, target, req.params.role_id!, inherited);
    },
    async remove(req: Req) {
      const { actor, target } = parse(req, kind, who);
      req.authorize(act('delete'), await policyTarget(req, actor, target));
      await req.services.assignments.revoke(actor, target, req.params.role_id!, inherited);
    },
    async list(req: Req) {
      const { actor, target } = parse(req, kind, who);
      req.authorize(act('list'), await policyTarget(req, actor, target));
      const roles = await req.services.roles.byIds(
        await req.services.assignments.listGrants(actor, target, inherited),
      );
      return collection(
        req,
        'roles',
        roles.map((r) => roleBody(req, r)),
      );
    },
  };
}

function grantRoutesFor(base: string, kind: Kind, who: 'user' | 'group', inherited: boolean): Route[] {
  const h = handlers(kind, who, inherited);
  const suffix = inherited ? '/inherited_to_projects' : '';
  return [
    route('GET', `${base}/roles${suffix}`, h.list),
    route('PUT', `${base}/roles/:role_id${suffix}`, h.put),
    route('HEAD', `${base}/roles/:role_id${suffix}`, h.check),
    route('GET', `${base}/roles/:role_id${suffix}`, h.check),
    route('DELETE', `${base}/roles/:role_id${suffix}`, h.remove),
  ];
}

/** Grants on projects, domains and the system, and OS-INHERIT's inherited grants. */
export const grantRoutes: Route[] = [
  ...grantRoutesFor('/v3/projects/:project_id/users/:user_id', 'project', 'user', false),
  ...grantRoutesFor('/v3/projects/:project_id/groups/:group_id', 'project', 'group', false),
  ...grantRoutesFor('/v3/domains/:domain_id/users/:user_id', 'domain', 'user', false),
  ...grantRoutesFor('/v3/domains/:domain_id/groups/:group_id', 'domain', 'group', false),
  ...grantRoutesFor('/v3/system/users/:user_id', 'system', 'user', false),
  ...grantRoutesFor('/v3/system/groups/:group_id', 'system', 'group', false),
  ...grantRoutesFor('/v3/OS-INHERIT/domains/:domain_id/users/:user_id', 'domain', 'user', true),
  ...grantRoutesFor('/v3/OS-INHERIT/domains/:domain_id/groups/:group_id', 'domain', 'group', true),
  ...grantRoutesFor('/v3/OS-INHERIT/projects/:project_id/users/:user_id', 'project', 'user', true),
  ...grantRoutesFor('/v3/OS-INHERIT/projects/:project_id/groups/:group_id', 'project', 'group', true),
];
