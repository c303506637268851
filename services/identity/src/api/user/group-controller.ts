import { route, type Route } from '@nimbus/http';
import type { GroupRecord } from '../../db/repositories/group-repository';
import { deferNotFound } from '../deferred-lookup';
import { collection, type IdentityRequest, queryTruthy, queryValue, splitExtra } from '../keystone-api';
import type { UserServices } from './user-controller';
import { createGroupBody, updateGroupBody } from './user-schemas';
import { groupView, userView } from './user-view';

type Req<B = any> = IdentityRequest<B, UserServices>;
const GROUP_FIELDS = ['id', 'name', 'domain_id', 'description', 'links'];
const groupTarget = (g: GroupRecord | undefined) => ({
  target: g ? { group: { id: g.id, domain_id: g.domainId, name: g.name } } : {},
});
const findGroup = (req: Req) => deferNotFound(req.services.groups.get(req.params.group_id!));

async function listGroups(req: Req) {
  // As Keystone: a domain-scoped caller is checked against, and sees only, its own domain.
  const scoped = req.credentials.domainId;
  req.authorize('identity:list_groups', scoped ? { target: { group: { domain_id: scoped } } } : {});
  const domainId = queryValue(req, 'domain_id');
  const name = queryValue(req, 'name');
  const groups = (
    await req.services.groups.list({
      ...(domainId !== undefined ? { domainId } : {}),
      ...(name !== undefined ? { name } : {}),
    })
  ).filter((g) => !scoped || g.domainId === scoped);
  return collection(
    req,
    'groups',
    groups.map((g) => groupView(req, g)),
  );
}

async function getGroup(req: Req) {
  const found = await findGroup(req);
  req.authorize('identity:get_group', groupTarget(found.value));
  const g = found.get();
  return { group: groupView(req, g) };
}

async function createGroup(req: Req<{ group: Record<string, any> }>) {
  const b = req.body.group;
  const domainId = b.domain_id ?? req.credentials.domainId ?? req.credentials.projectDomainId ?? 'default';
  req.authorize('identity:create_group', { target: { group: { domain_id: domainId } } });
  const g = await req.services.groups.create({
    name: b.name,
    domainId,
    description: b.description ?? '',
    extra: splitExtra(b, GROUP_FIELDS),
  });
  return { group: groupView(req, g) };
}

async function updateGroup(req: Req<{ group: Record<string, any> }>) {
  const found = await findGroup(req);
  req.authorize('identity:update_group', groupTarget(found.value));
  const before = found.get();
  const b = req.body.group;
  const extra = splitExtra(b, GROUP_FIELDS);
  const g = await req.services.groups.update(before.id, {
    ...(b.name !== undefined ? { name: b.name } : {}),
    ...(b.description !== undefined ? { description: b.description ?? '' } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  });
  return { group: groupView(req, g) };
}

async function deleteGroup(req: Req) {
  // Keystone looks the group up first here: an unknown id is 404 for everyone.
  const g = await req.services.groups.get(req.params.group_id!);
  req.authorize('identity:delete_group', groupTarget(g));
  await req.services.groups.delete(g.id);
}

async function listMembers(req: Req) {
  const found = await findGroup(req);
  req.authorize('identity:list_users_in_group', groupTarget(found.value));
  const g = found.get();
  const ids = await req.services.groups.memberIds(g.id);
  // As Keystone: a domain-scoped caller sees only the members of its own domain.
  const scoped = req.credentials.domainId;
  const name = queryValue(req, 'name');
  const enabled = queryValue(req, 'enabled');
  const users = await req.services.users.list({
    ids,
    ...(name !== undefined ? { name } : {}),
    ...(enabled !== undefined ? { enabled: queryTruthy(enabled) } : {}),
  });
  return collection(
    req,
    'users',
    users.filter((u) => !scoped || u.domainId === scoped).map((u) => userView(req, u)),
  );
}

async function memberTarget(req: Req) {
  const g = await findGroup(req);
  const u = await deferNotFound(req.services.users.get(req.params.user_id!));
  const target: Record<string, unknown> = {};
  if (g.value) target.group = { id: g.value.id, domain_id: g.value.domainId };
  if (u.value) target.user = { id: u.value.id, domain_id: u.value.domainId };
  return { g, u, target: { target } };
}

async function addMember(req: Req) {
  const { g, u, target } = await memberTarget(req);
  req.authorize('identity:add_user_to_group', target);
  await req.services.groups.addMember(g.get().id, u.get().id);
}

async function checkMember(req: Req) {
  const { g, u, target } = await memberTarget(req);
  req.authorize('identity:check_user_in_group', target);
  await req.services.groups.requireMember(g.get().id, u.get().id);
}

async function removeMember(req: Req) {
  const { g, u, target } = await memberTarget(req);
  req.authorize('identity:remove_user_from_group', target);
  await req.services.groups.removeMember(g.get().id, u.get().id);
}

/** `/v3/groups` and membership. */
export const groupRoutes: Route[] = [
  route('GET', '/v3/groups', listGroups),
  route('POST', '/v3/groups', createGroup, { body: createGroupBody, status: 201 }),
  route('GET', '/v3/groups/:group_id', getGroup),
  route('PATCH', '/v3/groups/:group_id', updateGroup, { body: updateGroupBody }),
  route('DELETE', '/v3/groups/:group_id', deleteGroup),
  route('GET', '/v3/groups/:group_id/users', listMembers),
  route('PUT', '/v3/groups/:group_id/users/:user_id', addMember),
  route('HEAD', '/v3/groups/:group_id/users/:user_id', checkMember),
  route('DELETE', '/v3/groups/:group_id/users/:user_id', removeMember),
];
