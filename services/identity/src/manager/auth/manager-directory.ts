import type { ProjectRecord } from '../../db/repositories/project-repository';
import type { AssignmentManager } from '../assignment/assignment-manager';
import { expandImpliedRoles } from '../assignment/role-inference';
import type { RoleManager } from '../assignment/role-manager';
import type { CatalogManager } from '../catalog/catalog-manager';
import type { EndpointFilterManager } from '../catalog/endpoint-filter-manager';
import type { CredentialManager } from '../ext/credential-manager';
import type { ResourceManager } from '../resource/resource-manager';
import type { UserManager, UserView } from '../user/user-manager';
import type { AuthDirectory, AuthProject, AuthUser } from './auth-directory';

/** The managers authentication reads. */
export interface DirectoryManagers {
  users: UserManager;
  resources: ResourceManager;
  roles: RoleManager;
  assignments: AssignmentManager;
  catalog: CatalogManager;
  endpointFilter: EndpointFilterManager;
  credentials: CredentialManager;
}

/** The AuthDirectory of the running service, over identity's managers. */
export function managerDirectory(m: DirectoryManagers): AuthDirectory {
  const domainOf = async (id: string) => m.resources.findDomain(id);
  const toUser = async (u: UserView): Promise<AuthUser> => {
    const d = await domainOf(u.domainId);
    return {
      id: u.id,
      name: u.name,
      domainId: u.domainId,
      domainName: d?.name ?? '',
      enabled: u.enabled,
      domainEnabled: d?.enabled ?? false,
      defaultProjectId: u.defaultProjectId,
      passwordExpiresAt: u.passwordExpiresAt,
    };
  };
  const toProject = async (p: ProjectRecord): Promise<AuthProject> => {
    const d = p.isDomain ? p : await domainOf(p.domainId);
    return {
      id: p.id,
      name: p.name,
      domainId: p.isDomain ? p.id : p.domainId,
      domainName: d?.name ?? '',
      enabled: p.enabled,
      domainEnabled: d?.enabled ?? false,
      isDomain: p.isDomain,
    };
  };
  return {
    async passwordLogin(ref, password) {
      return toUser(await m.users.authenticate(ref, password));
    },
    async user(id) {
      const u = await m.users.find(id);
      return u && toUser(u);
    },
    async project(id) {
      const p = await m.resources.findProject(id);
      return p && toProject(p);
    },
    async projectByName(name, domainId) {
      const p = await m.resources.findProjectByName(name, domainId);
      return p && toProject(p);
    },
    async domain(id) {
      const d = await domainOf(id);
      return d && { id: d.id, name: d.name, enabled: d.enabled };
    },
    async domainByName(name) {
      const d = await m.resources.findDomainByName(name);
      return d && { id: d.id, name: d.name, enabled: d.enabled };
    },
    roleIds: (userId, scope) => m.assignments.effectiveRoleIds(userId, scope),
    async roles(ids) {
      return (await m.roles.byIds(ids)).map((r) => ({ id: r.id, name: r.name }));
    },
    async expandRoles(ids) {
      return expandImpliedRoles(ids, await m.roles.rules());
    },
    async catalog(projectId) {
      if (!projectId) return m.catalog.catalogFor({});
      return m.catalog.catalogFor({ projectId }, await m.endpointFilter.endpointIdsForProject(projectId));
    },
    async projectsForUser(userId) {
      const list = await Promise.all((await m.assignments.projectsForUser(userId)).map(toProject));
      return list.filter((p) => p.enabled && p.domainEnabled);
    },
    async domainsForUser(userId) {
      return (await m.assignments.domainsForUser(userId))
        .filter((d) => d.enabled)
        .map((d) => ({ id: d.id, name: d.name, enabled: d.enabled }));
    },
    async totpSecrets(userId) {
      return (await m.credentials.list({ userId, type: 'totp' })).map((c) => c.blob);
    },
  };
}
