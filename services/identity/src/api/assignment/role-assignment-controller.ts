import { BadRequestError } from '@nimbus/errors';
import { route, type Route } from '@nimbus/http';
import type { AssignmentEntry, AssignmentFilter } from '../../manager/assignment/assignment-manager';
import type { UserManager } from '../../manager/user/user-manager';
import type { GroupManager } from '../../manager/user/group-manager';
import type { ResourceManager } from '../../manager/resource/resource-manager';
import { collection, type IdentityRequest, queryTruthy, queryValue, v3Url } from '../keystone-api';
import { projectView } from '../resource/resource-view';
import type { AssignmentServices } from './role-controller';

/** The role-assignment listing also names users, groups, projects and domains. */
export interface RoleAssignmentServices extends AssignmentServices {
  users: UserManager;
  groups: GroupManager;
  resources: ResourceManager;
}

type Req = IdentityRequest<unknown, RoleAssignmentServices>;

function bad(message: string): BadRequestError {
  return new BadRequestError(message, { code: 'IDENTITY_VALIDATION' });
}

function assignmentLink(e: AssignmentEntry): string {
  const a = e.source;
  const actor = a.type.startsWith('User') ? `users/${a.actorId}` : `groups/${a.actorId}`;
  if (a.type.endsWith('System')) return `/system/${actor}/roles/${a.roleId}`;
  const target = a.type.endsWith('Project') ? `projects/${a.targetId}` : `domains/${a.targetId}`;
  return a.inherited
    ? `/OS-INHERIT/${target}/${actor}/roles/${a.roleId}/inherited_to_projects`
    : `/${target}/${actor}/roles/${a.roleId}`;
}

async function render(req: Req, e: AssignmentEntry, names: boolean): Promise<Record<string, unknown>> {
  const s = req.services;
  const body: Record<string, unknown> = { role: { id: e.roleId } };
  const scope: Record<string, unknown> = {};
  if ('projectId' in e.scope) scope.project = { id: e.scope.projectId };
  else if ('domainId' in e.scope) scope.domain = { id: e.scope.domainId };
  else scope.system = { all: true };
  if (e.inherited) scope['OS-INHERIT:inherited_to'] = 'projects';
  body.scope = scope;
  if (e.userId) body.user = { id: e.userId };
  if (e.groupId) body.group = { id: e.groupId };
  const links: Record<string, string> = { assignment: v3Url(req, assignmentLink(e)) };
  if (e.viaGroupId) links.membership = v3Url(req, `/groups/${e.viaGroupId}/users/${e.userId}`);
  if (e.priorRoleId) links.prior_role = v3Url(req, `/roles/${e.priorRoleId}`);
  body.links = links;
  if (names) {
    const domainRef = async (id: string) => ({ id, name: (await s.resources.findDomain(id))?.name });
    const role = await s.roles.find(e.roleId);
    if (role)
      body.role = {
        id: role.id,
        name: role.name,
        ...(role.domainId ? { domain: await domainRef(role.domainId) } : {}),
      };
    if (e.userId) {
      const u = await s.users.find(e.userId);
      if (u) body.user = { id: u.id, name: u.name, domain: await domainRef(u.domainId) };
    }
    if (e.groupId) {
      const g = await s.groups.get(e.groupId).catch(() => undefined);
      if (g) body.group = { id: g.id, name: g.name, domain: await domainRef(g.domainId) };
    }
    if ('projectId' in e.scope) {
      const p = await s.resources.findProject(e.scope.projectId);
      if (p) scope.project = { id: p.id, name: p.name, domain: await domainRef(p.domainId) };
    } else if ('domainId' in e.scope) {
      scope.domain = await domainRef(e.scope.domainId);
    }
  }
  return body;
}

async function listRoleAssignments(req: Req) {
  const q = (n: string) => queryValue(req, n);
  const flag = (n: string) => q(n) !== undefined && queryTruthy(q(n)!);
  const f: AssignmentFilter = {};
  if (q('user.id')) f.userId = q('user.id')!;
  if (q('group.id')) f.groupId = q('group.id')!;
  if (q('role.id')) f.roleId = q('role.id')!;
  if (q('scope.project.id')) f.projectId = q('scope.project.id')!;
  if (q('scope.domain.id')) f.domainId = q('scope.domain.id')!;
  if (q('scope.system')) f.system = true;
  if (q('scope.OS-INHERIT:inherited_to') === 'projects') f.inheritedToProjects = true;
  f.effective = flag('effective');
  f.includeSubtree = flag('include_subtree');
  if (f.includeSubtree && !f.projectId)
    throw bad('scope.project.id must be specified if include_subtree is also specified');
  if (f.projectId && f.domainId) throw bad('Specify a domain or project, not both');
  if (f.userId && f.groupId) throw bad('Specify a user or group, not both');
  if (f.effective && f.groupId)
    throw bad('Combining effective and group filter will always result in an empty list.');
  if (f.effective && f.inheritedToProjects)
    throw bad('Combining effective, domain and inherited filters will always result in an empty list.');
  // As Keystone: the tree listing is checked against the named project; the plain listing against
  // a domain-scoped caller's own domain, whose assignments alone it then sees.
  const scoped = req.credentials.domainId;
  if (f.includeSubtree) {
    const p = await req.services.resources.findProject(f.projectId!);
    req.authorize('identity:list_role_assignments_for_tree', {
      target: p ? { project: { id: p.id, domain_id: p.domainId } } : {},
    });
  } else {
    req.authorize('identity:list_role_assignments', scoped ? { target: { domain_id: scoped } } : {});
  }
  let entries = await req.services.assignments.list(f);
  if (scoped && !f.includeSubtree) {
    const inDomain = async (e: AssignmentEntry) =>
      'domainId' in e.scope
        ? e.scope.domainId === scoped
        : 'projectId' in e.scope &&
          (await req.services.resources.findProject(e.scope.projectId))?.domainId === scoped;
    const keep = await Promise.all(entries.map(inDomain));
    entries = entries.filter((_, i) => keep[i]);
  }
  const names = flag('include_names');
  return collection(req, 'role_assignments', await Promise.all(entries.map((e) => render(req, e, names))));
}

async function projectsForUser(req: Req) {
  const u = await req.services.users.get(req.params.user_id!);
  req.authorize('identity:list_user_projects', {
    target: { user: { id: u.id, domain_id: u.domainId } },
    user_id: u.id,
  });
  const projects = await req.services.assignments.projectsForUser(u.id);
  const enabled = queryValue(req, 'enabled');
  const name = queryValue(req, 'name');
  const domainId = queryValue(req, 'domain_id');
  return collection(
    req,
    'projects',
    projects
      .filter(
        (p) =>
          (enabled === undefined || p.enabled === queryTruthy(enabled)) &&
          (name === undefined || p.name === name) &&
          (domainId === undefined || p.domainId === domainId),
      )
      .map((p) => projectView(req, p)),
  );
}

/** `/v3/role_assignments` and `/v3/users/{id}/projects`. */
export const roleAssignmentRoutes: Route[] = [
  route('GET', '/v3/role_assignments', listRoleAssignments),
  route('GET', '/v3/users/:user_id/projects', projectsForUser),
];
