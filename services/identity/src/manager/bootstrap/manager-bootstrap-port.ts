import type { AssignmentManager } from '../assignment/assignment-manager';
import type { RoleManager } from '../assignment/role-manager';
import type { CatalogManager } from '../catalog/catalog-manager';
import type { ResourceManager } from '../resource/resource-manager';
import type { UserManager } from '../user/user-manager';
import type { BootstrapPort } from './bootstrap-port';

/** The bootstrap's idempotent writes over identity's managers. */
export function managerBootstrapPort(m: {
  resources: ResourceManager;
  users: UserManager;
  roles: RoleManager;
  assignments: AssignmentManager;
  catalog: CatalogManager;
}): BootstrapPort {
  return {
    async ensureDomain(id, name) {
      if (!(await m.resources.findDomain(id)))
        await m.resources.createDomain({ id, name, description: 'The default domain' });
    },
    async ensureProject(name, domainId, description) {
      return (
        (await m.resources.findProjectByName(name, domainId)) ??
        (await m.resources.createProject({ name, domainId, description }))
      ).id;
    },
    async ensureRole(name) {
      return (
        (await m.roles.list({ name }))[0] ??
        (await m.roles.create({ name, domainId: null, description: '', options: {} }))
      ).id;
    },
    async ensureImpliedRole(prior, implied) {
      await m.roles.createImplied(prior, implied);
    },
    async ensureUser(name, domainId, password) {
      const found = await m.users.findByName(name, domainId);
      if (found) return { id: found.id, created: false };
      return { id: (await m.users.create({ name, domainId, password })).id, created: true };
    },
    ensureProjectGrant: (userId, projectId, roleId) => m.assignments.grant({ userId }, { projectId }, roleId),
    ensureSystemGrant: (userId, roleId) => m.assignments.grant({ userId }, { system: true }, roleId),
    ensureRegion: (id) => m.catalog.ensureRegion(id),
    ensureService: (type, name) => m.catalog.ensureService(type, name),
    ensureEndpoint: (serviceId, iface, url, regionId) =>
      m.catalog.ensureEndpoint(serviceId, iface, url, regionId),
  };
}
