import type { CatalogEntry } from '@nimbus/auth';
import type { AuthDirectory, AuthDomain, AuthProject, AuthUser, RoleScope } from '../auth-directory';
import { authFailed } from '../auth-errors';

/** An in-memory AuthDirectory for tests: users with plain passwords, projects, domains and grants. */
export class FakeAuthDirectory implements AuthDirectory {
  readonly users = new Map<string, AuthUser & { password: string }>();
  readonly projects = new Map<string, AuthProject>();
  readonly domains = new Map<string, AuthDomain>([
    ['default', { id: 'default', name: 'Default', enabled: true }],
  ]);
  /** `${userId}|${scopeKey}` → role ids. */
  readonly grants = new Map<string, string[]>();
  readonly roleNames = new Map<string, string>([
    ['r-admin', 'admin'],
    ['r-member', 'member'],
    ['r-reader', 'reader'],
  ]);
  readonly totp = new Map<string, string[]>();
  readonly catalogEntries: CatalogEntry[] = [
    {
      id: 's1',
      type: 'identity',
      name: 'keystone',
      endpoints: [
        { id: 'e1', interface: 'public', region: 'RegionOne', region_id: 'RegionOne', url: 'http://x/v3' },
      ],
    },
  ];

  addUser(id: string, password: string, extra: Partial<AuthUser> = {}): void {
    this.users.set(id, {
      id,
      name: id,
      domainId: 'default',
      domainName: 'Default',
      enabled: true,
      domainEnabled: true,
      defaultProjectId: null,
      passwordExpiresAt: null,
      password,
      ...extra,
    });
  }

  addProject(id: string, extra: Partial<AuthProject> = {}): void {
    this.projects.set(id, {
      id,
      name: id,
      domainId: 'default',
      domainName: 'Default',
      enabled: true,
      domainEnabled: true,
      isDomain: false,
      ...extra,
    });
  }

  grant(userId: string, scope: RoleScope, roleIds: string[]): void {
    this.grants.set(`${userId}|${scopeKey(scope)}`, roleIds);
  }

  async passwordLogin(ref: { id?: string; name?: string }, password: string): Promise<AuthUser> {
    const u = ref.id ? this.users.get(ref.id) : [...this.users.values()].find((x) => x.name === ref.name);
    if (!u || !u.enabled || u.password !== password) throw authFailed();
    return u;
  }
  async user(id: string) {
    return this.users.get(id);
  }
  async project(id: string) {
    return this.projects.get(id);
  }
  async projectByName(name: string, domainId: string) {
    return [...this.projects.values()].find((p) => p.name === name && p.domainId === domainId);
  }
  async domain(id: string) {
    return this.domains.get(id);
  }
  async domainByName(name: string) {
    return [...this.domains.values()].find((d) => d.name === name);
  }
  async roleIds(userId: string, scope: RoleScope) {
    return this.grants.get(`${userId}|${scopeKey(scope)}`) ?? [];
  }
  async roles(ids: readonly string[]) {
    return ids.filter((id) => this.roleNames.has(id)).map((id) => ({ id, name: this.roleNames.get(id)! }));
  }
  async expandRoles(ids: readonly string[]) {
    return [...ids];
  }
  async catalog() {
    return this.catalogEntries;
  }
  async projectsForUser(userId: string) {
    return [...this.projects.values()].filter((p) => this.grants.has(`${userId}|p:${p.id}`));
  }
  async domainsForUser(userId: string) {
    return [...this.domains.values()].filter((d) => this.grants.has(`${userId}|d:${d.id}`));
  }
  async totpSecrets(userId: string) {
    return this.totp.get(userId) ?? [];
  }
}

function scopeKey(scope: RoleScope): string {
  if ('projectId' in scope) return `p:${scope.projectId}`;
  if ('domainId' in scope) return `d:${scope.domainId}`;
  return 'system';
}
