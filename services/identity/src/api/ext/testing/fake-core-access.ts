import type {
  ExtensionCoreAccess,
  ExtensionTokenRequest,
  IssuedToken,
  ProjectRef,
  RoleRef,
  UserRef,
} from '../../../manager/ext/core-access';
import type { RevocationEvent } from '../../../manager/revocation/revocation-event';

/**
 * An in-memory identity core for the extension tests: users, projects and domains, roles with
 * implied-role rules, project assignments, services, regions, and the revocation events emitted.
 */
export class FakeCoreAccess implements ExtensionCoreAccess {
  readonly users = new Map<string, UserRef>();
  readonly projects = new Map<string, ProjectRef>();
  readonly roles = new Map<string, RoleRef>();
  /** `${userId}/${projectId}` → role ids assigned directly. */
  readonly assignments = new Map<string, Set<string>>();
  readonly implied: { prior: string; implied: string }[] = [];
  readonly services = new Set<string>();
  readonly regions = new Set<string>();
  readonly revoked: Omit<RevocationEvent, 'issuedBefore' | 'revokedAt'>[] = [];
  readonly issued: ExtensionTokenRequest[] = [];
  private seq = 0;

  addUser(id: string, domainId = 'default'): UserRef {
    const u = { id, name: id, domainId, enabled: true };
    this.users.set(id, u);
    return u;
  }

  addProject(id: string, domainId = 'default', isDomain = false): ProjectRef {
    const p = { id, name: id, domainId, enabled: true, isDomain };
    this.projects.set(id, p);
    return p;
  }

  addRole(id: string): RoleRef {
    const r = { id, name: id, domainId: null, description: null, options: {} };
    this.roles.set(id, r);
    return r;
  }

  grant(userId: string, projectId: string, roleId: string): void {
    const key = `${userId}/${projectId}`;
    this.assignments.set(key, new Set([...(this.assignments.get(key) ?? []), roleId]));
  }

  revokeGrant(userId: string, projectId: string, roleId: string): void {
    this.assignments.get(`${userId}/${projectId}`)?.delete(roleId);
  }

  async getUser(id: string) {
    return this.users.get(id);
  }
  async getUserByName(name: string, domainId: string) {
    return [...this.users.values()].find((u) => u.name === name && u.domainId === domainId);
  }
  async getProject(id: string) {
    return this.projects.get(id);
  }
  async getDomainByName(name: string) {
    return [...this.projects.values()].find((p) => p.isDomain && p.name === name);
  }
  async getRole(id: string) {
    return this.roles.get(id);
  }
  async findRolesByName(name: string) {
    return [...this.roles.values()].filter((r) => r.name === name);
  }
  async expandImpliedRoles(roleIds: readonly string[]) {
    const out = new Set(roleIds);
    let grew = true;
    while (grew) {
      grew = false;
      for (const rule of this.implied) {
        if (out.has(rule.prior) && !out.has(rule.implied)) {
          out.add(rule.implied);
          grew = true;
        }
      }
    }
    return [...out];
  }
  async effectiveRoleIds(userId: string, projectId: string) {
    return this.expandImpliedRoles([...(this.assignments.get(`${userId}/${projectId}`) ?? [])]);
  }
  async createDomain(input: { name: string; description: string; enabled: boolean }) {
    const p = {
      id: `dom${++this.seq}`,
      name: input.name,
      domainId: '<<keystone.domain.root>>',
      enabled: input.enabled,
      isDomain: true,
    };
    this.projects.set(p.id, p);
    return p;
  }
  async serviceExists(id: string) {
    return this.services.has(id);
  }
  async regionExists(id: string) {
    return this.regions.has(id);
  }
  async revoke(event: Omit<RevocationEvent, 'issuedBefore' | 'revokedAt'>) {
    this.revoked.push(event);
  }
  async issueToken(request: ExtensionTokenRequest): Promise<IssuedToken> {
    this.issued.push(request);
    return {
      token: `tok-${this.issued.length}`,
      body: {
        token: { user: { id: request.userId }, project: { id: request.projectId }, methods: request.methods },
      },
    };
  }
}
