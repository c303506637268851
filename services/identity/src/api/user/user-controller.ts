import { route, type Route } from '@nimbus/http';
import type { GroupManager } from '../../manager/user/group-manager';
import type { UserManager, UserView } from '../../manager/user/user-manager';
import { deferNotFound } from '../deferred-lookup';
import { collection, type IdentityRequest, queryTruthy, queryValue, splitExtra } from '../keystone-api';
import { changePasswordBody, createUserBody, updateUserBody } from './user-schemas';
import { groupView, userView } from './user-view';

/** What the user and group controllers read of `req.services`. */
export interface UserServices {
  users: UserManager;
  groups: GroupManager;
}

type Req<B = any> = IdentityRequest<B, UserServices>;
const USER_FIELDS = [
  'id',
  'name',
  'domain_id',
  'enabled',
  'password',
  'default_project_id',
  'options',
  'links',
];
const userTarget = (u: UserView | undefined) => ({
  target: u ? { user: { id: u.id, domain_id: u.domainId, name: u.name } } : {},
});
const findUser = (req: Req) => deferNotFound(req.services.users.get(req.params.user_id!));

async function listUsers(req: Req) {
  // As Keystone: a domain-scoped caller is checked against, and sees only, its own domain.
  const scoped = req.credentials.domainId;
  req.authorize('identity:list_users', scoped ? { target: { domain_id: scoped } } : {});
  const domainId = queryValue(req, 'domain_id') ?? scoped;
  const name = queryValue(req, 'name');
  const enabled = queryValue(req, 'enabled');
  const users = (
    await req.services.users.list({
      ...(domainId !== undefined ? { domainId } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(enabled !== undefined ? { enabled: queryTruthy(enabled) } : {}),
    })
  ).filter((u) => !scoped || u.domainId === scoped);
  return collection(
    req,
    'users',
    users.map((u) => userView(req, u)),
  );
}

async function getUser(req: Req) {
  const found = await findUser(req);
  req.authorize('identity:get_user', userTarget(found.value));
  const u = found.get();
  return { user: userView(req, u) };
}

async function createUser(req: Req<{ user: Record<string, any> }>) {
  const b = req.body.user;
  const domainId = b.domain_id ?? req.credentials.domainId ?? req.credentials.projectDomainId ?? 'default';
  req.authorize('identity:create_user', { target: { user: { domain_id: domainId } } });
  const u = await req.services.users.create({
    name: b.name,
    domainId,
    password: b.password ?? null,
    enabled: b.enabled ?? true,
    defaultProjectId: b.default_project_id ?? null,
    options: b.options ?? {},
    extra: splitExtra(b, USER_FIELDS),
  });
  return { user: userView(req, u) };
}

async function updateUser(req: Req<{ user: Record<string, any> }>) {
  const found = await findUser(req);
  req.authorize('identity:update_user', userTarget(found.value));
  const before = found.get();
  const b = req.body.user;
  const extra = splitExtra(b, USER_FIELDS);
  const u = await req.services.users.update(before.id, {
    ...(b.name !== undefined ? { name: b.name } : {}),
    ...(b.domain_id !== undefined ? { domainId: b.domain_id } : {}),
    ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
    ...(b.default_project_id !== undefined ? { defaultProjectId: b.default_project_id } : {}),
    ...(b.options !== undefined ? { options: b.options } : {}),
    ...(b.password !== undefined ? { password: b.password } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  });
  return { user: userView(req, u) };
}

async function deleteUser(req: Req) {
  const found = await findUser(req);
  req.authorize('identity:delete_user', userTarget(found.value));
  const u = found.get();
  await req.services.users.delete(u.id);
}

/** Self-service password change: no policy, the original password is the proof (as upstream). */
async function changePassword(req: Req<{ user: { original_password: string; password: string } }>) {
  await req.services.users.changePassword(
    req.params.user_id!,
    req.body.user.original_password,
    req.body.user.password,
  );
}

async function groupsForUser(req: Req) {
  const found = await findUser(req);
  req.authorize('identity:list_groups_for_user', { ...userTarget(found.value), user_id: req.params.user_id });
  const u = found.get();
  const groups = await req.services.groups.groupsOf(u.id);
  // As Keystone: a domain-scoped caller sees only the groups of its own domain.
  const scoped = req.credentials.domainId;
  return collection(
    req,
    'groups',
    groups.filter((g) => !scoped || g.domainId === scoped).map((g) => groupView(req, g)),
  );
}

/** `/v3/users`. */
export const userRoutes: Route[] = [
  route('GET', '/v3/users', listUsers),
  route('POST', '/v3/users', createUser, { body: createUserBody, status: 201 }),
  route('GET', '/v3/users/:user_id', getUser),
  route('PATCH', '/v3/users/:user_id', updateUser, { body: updateUserBody }),
  route('DELETE', '/v3/users/:user_id', deleteUser),
  route('POST', '/v3/users/:user_id/password', changePassword, {
    body: changePasswordBody,
    public: true,
    status: 204,
  }),
  route('GET', '/v3/users/:user_id/groups', groupsForUser),
];
