import type { AssignmentManager } from '../assignment/assignment-manager';
import { expandImpliedRoles } from '../assignment/role-inference';
import type { RoleManager } from '../assignment/role-manager';
import type { TokenRenderer } from '../auth/token-renderer';
import type { CatalogManager } from '../catalog/catalog-manager';
import type { ResourceManager } from '../resource/resource-manager';
import type { RevocationManager } from '../revocation/revocation-manager';
import type { TokenProvider } from '../token/token-provider';
import type { UserManager } from '../user/user-manager';
import type { ExtensionCoreAccess } from './core-access';

/** The core managers the extensions read through ExtensionCoreAccess. */
export interface CoreManagers {
  users: UserManager;
  resources: ResourceManager;
  roles: RoleManager;
  assignments: AssignmentManager;
  catalog: CatalogManager;
  revocations: RevocationManager;
  tokens: TokenProvider;
  renderer: TokenRenderer;
}

/** ExtensionCoreAccess over identity's managers, token issue included (EC2 and S3 tokens). */
export function managerCoreAccess(m: CoreManagers): ExtensionCoreAccess {
  const project = (p: {
    id: string;
    name: string;
    domainId: string;
    enabled: boolean;
    isDomain: boolean;
  }) => ({ id: p.id, name: p.name, domainId: p.domainId, enabled: p.enabled, isDomain: p.isDomain });
  const role = (r: {
    id: string;
    name: string;
    domainId: string | null;
    description: string;
    options: Record<string, unknown>;
  }) => ({ ...r });
  return {
    async getUser(id) {
      const u = await m.users.find(id);
      return u && { id: u.id, name: u.name, domainId: u.domainId, enabled: u.enabled };
    },
    async getUserByName(name, domainId) {
      const u = await m.users.findByName(name, domainId);
      return u && { id: u.id, name: u.name, domainId: u.domainId, enabled: u.enabled };
    },
    async getProject(id) {
      const p = await m.resources.findProject(id);
      return p && project(p);
    },
    async getDomainByName(name) {
      const d = await m.resources.findDomainByName(name);
      return d && project(d);
    },
    async getRole(id) {
      const r = await m.roles.find(id);
      return r && role(r);
    },
    async findRolesByName(name) {
      return (await m.roles.findByName(name)).map(role);
    },
    effectiveRoleIds: (userId, projectId) => m.assignments.effectiveRoleIds(userId, { projectId }),
    async expandImpliedRoles(ids) {
      return expandImpliedRoles(ids, await m.roles.rules());
    },
    async createDomain(input) {
      return project(await m.resources.createDomain(input));
    },
    async serviceExists(id) {
      return (await m.catalog.listServices()).some((s) => s.id === id);
    },
    async regionExists(id) {
      return (await m.catalog.listRegions()).some((r) => r.id === id);
    },
    revoke: (event) => m.revocations.revoke(event),
    async issueToken(request) {
      const issued = m.tokens.issue({
        userId: request.userId,
        methods: request.methods,
        projectId: request.projectId,
        ...(request.trustId ? { trustId: request.trustId } : {}),
        ...(request.applicationCredentialId
          ? { applicationCredentialId: request.applicationCredentialId }
          : {}),
        ...(request.accessTokenId ? { accessTokenId: request.accessTokenId } : {}),
      });
      const described = await m.renderer.describe(await m.tokens.described(issued), true);
      return { token: issued.token, body: m.renderer.body(described) };
    },
  };
}
