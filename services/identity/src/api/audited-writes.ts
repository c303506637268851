import { ApiReply, type ApiRequest, type Route } from '@nimbus/http';
import type { AuditInitiator } from '../manager/notification/cadf-event';
import type { IdentityNotifier, ResourceOperation } from '../manager/notification/identity-notifier';
import type { UserManager } from '../manager/user/user-manager';
import type { ResourceManager } from '../manager/resource/resource-manager';

/** Sends the notifications of one successful request. */
type Announce = (n: IdentityNotifier, req: ApiRequest, result: unknown, who: AuditInitiator) => Promise<void>;

const bodyOf = (result: unknown): any => (result instanceof ApiReply ? result.body : result);

/** `identity.<type>.created`, the id read from the response body's `key`. */
const created =
  (type: string, key: string): Announce =>
  (n, _req, result, who) => {
    const id = bodyOf(result)?.[key]?.id;
    return typeof id === 'string' ? n.resource('created', type, id, who) : Promise.resolve();
  };

/** `identity.<type>.<operation>`, the id from a path parameter. */
const byParam =
  (operation: ResourceOperation, type: string, param: string): Announce =>
  (n, req, _result, who) =>
    n.resource(operation, type, req.params[param]!, who);

/** `identity.group.updated` with the user added to or removed from it. */
const membership =
  (operation: 'added' | 'removed'): Announce =>
  (n, req, _result, who) =>
    n.resource('updated', 'group', req.params.group_id!, who, {
      id: req.params.user_id!,
      type: 'user',
      operation,
    });

/** `identity.role_assignment.<operation>` of a project or domain grant. */
const grant =
  (operation: 'created' | 'deleted', inherited = false): Announce =>
  (n, req, _result, who) => {
    const p = req.params;
    return n.roleAssignment(
      operation,
      {
        roleId: p.role_id!,
        inherited,
        ...(p.user_id ? { userId: p.user_id } : {}),
        ...(p.group_id ? { groupId: p.group_id } : {}),
        ...(p.project_id ? { projectId: p.project_id } : {}),
        ...(p.domain_id ? { domainId: p.domain_id } : {}),
      },
      who,
    );
  };

const both =
  (...all: Announce[]): Announce =>
  async (n, req, result, who) => {
    for (const a of all) await a(n, req, result, who);
  };

/** A created / updated / deleted triple on `<base>` and `<base>/:param`. */
function crud(base: string, param: string, type: string, key: string, update = 'PATCH') {
  return {
    [`POST ${base}`]: created(type, key),
    [`${update} ${base}/:${param}`]: byParam('updated', type, param),
    [`DELETE ${base}/:${param}`]: byParam('deleted', type, param),
  };
}

const grants = (prefix: string, suffix: string, inherited: boolean) =>
  Object.fromEntries(
    ['projects/:project_id', 'domains/:domain_id'].flatMap((target) =>
      ['users/:user_id', 'groups/:group_id'].flatMap((actor) => [
        [`PUT ${prefix}/${target}/${actor}/roles/:role_id${suffix}`, grant('created', inherited)],
        [`DELETE ${prefix}/${target}/${actor}/roles/:role_id${suffix}`, grant('deleted', inherited)],
      ]),
    ),
  );

/**
 * What each write of the API announces, as Keystone's managers do (system grants, implied roles,
 * domain configs, limits and federation send nothing upstream either).
 */
const ANNOUNCEMENTS: Record<string, Announce> = {
  ...crud('/v3/domains', 'domain_id', 'domain', 'domain'),
  ...crud('/v3/projects', 'project_id', 'project', 'project'),
  'PUT /v3/projects/:project_id/tags': byParam('updated', 'project', 'project_id'),
  'DELETE /v3/projects/:project_id/tags': byParam('updated', 'project', 'project_id'),
  'PUT /v3/projects/:project_id/tags/:tag': both(
    byParam('updated', 'project', 'project_id'),
    byParam('created', 'project tag', 'tag'),
  ),
  'DELETE /v3/projects/:project_id/tags/:tag': both(
    byParam('updated', 'project', 'project_id'),
    byParam('deleted', 'project tag', 'tag'),
  ),
  ...crud('/v3/users', 'user_id', 'user', 'user'),
  'POST /v3/users/:user_id/password': byParam('updated', 'user', 'user_id'),
  ...crud('/v3/groups', 'group_id', 'group', 'group'),
  'PUT /v3/groups/:group_id/users/:user_id': membership('added'),
  'DELETE /v3/groups/:group_id/users/:user_id': membership('removed'),
  ...crud('/v3/roles', 'role_id', 'role', 'role'),
  ...grants('/v3', '', false),
  ...grants('/v3/OS-INHERIT', '/inherited_to_projects', true),
  ...crud('/v3/regions', 'region_id', 'region', 'region'),
  'PUT /v3/regions/:region_id': created('region', 'region'),
  ...crud('/v3/services', 'service_id', 'service', 'service'),
  ...crud('/v3/endpoints', 'endpoint_id', 'endpoint', 'endpoint'),
  ...crud('/v3/policies', 'policy_id', 'policy', 'policy'),
  'POST /v3/credentials': created('credential', 'credential'),
  'DELETE /v3/credentials/:credential_id': byParam('deleted', 'credential', 'credential_id'),
  'POST /v3/users/:user_id/application_credentials': created(
    'application_credential',
    'application_credential',
  ),
  'DELETE /v3/users/:user_id/application_credentials/:application_credential_id': byParam(
    'deleted',
    'application_credential',
    'application_credential_id',
  ),
  'DELETE /v3/users/:user_id/access_rules/:access_rule_id': byParam(
    'deleted',
    'access_rule',
    'access_rule_id',
  ),
  'POST /v3/OS-TRUST/trusts': created('OS-TRUST:trust', 'trust'),
  'DELETE /v3/OS-TRUST/trusts/:trust_id': byParam('deleted', 'OS-TRUST:trust', 'trust_id'),
  ...crud('/v3/OS-OAUTH1/consumers', 'consumer_id', 'OS-OAUTH1:consumer', 'consumer'),
  'DELETE /v3/users/:user_id/OS-OAUTH1/access_tokens/:access_token_id': byParam(
    'deleted',
    'OS-OAUTH1:access_token',
    'access_token_id',
  ),
};

/** The initiator of a request: its token's subject and scope, the client's address and agent. */
export function auditInitiator(req: ApiRequest): AuditInitiator {
  const c = req.maybeCredentials;
  const agent = req.headers['user-agent'];
  return {
    ...(c?.userId ? { userId: c.userId } : {}),
    ...(c?.projectId ? { projectId: c.projectId } : {}),
    ...(c?.domainId ? { domainId: c.domainId } : {}),
    requestId: req.requestId,
    ...(req.globalRequestId ? { globalRequestId: req.globalRequestId } : {}),
    ...(req.raw?.ip ? { address: req.raw.ip } : {}),
    ...(typeof agent === 'string' ? { agent } : {}),
  };
}

/** What the token route reads to find who authenticated with a password. */
interface AuthServices {
  users: UserManager;
  resources: ResourceManager;
}

/** The user a password authentication names, when it exists (Keystone notifies for known users only). */
async function passwordUser(req: ApiRequest<any, AuthServices>): Promise<string | undefined> {
  const identity = req.body?.auth?.identity;
  if (!Array.isArray(identity?.methods) || !identity.methods.includes('password')) return undefined;
  const user = identity.password?.user;
  if (!user) return undefined;
  if (typeof user.id === 'string') return (await req.services.users.find(user.id))?.id;
  if (typeof user.name !== 'string') return undefined;
  const domainId =
    user.domain?.id ??
    (typeof user.domain?.name === 'string'
      ? (await req.services.resources.findDomainByName(user.domain.name))?.id
      : undefined);
  return domainId ? (await req.services.users.findByName(user.name, domainId))?.id : undefined;
}

/** Password authentications announce `identity.authenticate` with their outcome. */
function authenticating(route: Route, notifier: IdentityNotifier): Route {
  const inner = route.handler;
  return {
    ...route,
    handler: async (req) => {
      let result: unknown;
      try {
        result = await inner(req);
      } catch (err) {
        const userId = await passwordUser(req).catch(() => undefined);
        if (userId) await notifier.authenticate(userId, 'failure', auditInitiator(req));
        throw err;
      }
      const userId = bodyOf(result)?.token?.user?.id;
      if (typeof userId === 'string' && (await passwordUser(req).catch(() => undefined)))
        await notifier.authenticate(userId, 'success', auditInitiator(req));
      return result;
    },
  };
}

/**
 * Wraps the routes that change identity's resources so that, once one succeeded, Keystone's
 * notification of it is sent (`identity.project.created`, `identity.role_assignment.deleted`...),
 * with the request's initiator; password authentications announce `identity.authenticate`.
 */
export function auditedWrites(routes: readonly Route[], notifier: IdentityNotifier): Route[] {
  return routes.map((r) => {
    if (r.method === 'POST' && r.path === '/v3/auth/tokens') return authenticating(r, notifier);
    const announce = ANNOUNCEMENTS[`${r.method} ${r.path}`];
    if (!announce) return r;
    const inner = r.handler;
    return {
      ...r,
      handler: async (req) => {
        const result = await inner(req);
        await announce(notifier, req, result, auditInitiator(req));
        return result;
      },
    };
  });
}
