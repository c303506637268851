import type { CatalogEntry } from '@nimbus/auth';

/** A user as authentication and token rendering see it. */
export interface AuthUser {
  id: string;
  name: string;
  domainId: string;
  domainName: string;
  enabled: boolean;
  domainEnabled: boolean;
  defaultProjectId: string | null;
  /** Seconds since the epoch, or null. */
  passwordExpiresAt: number | null;
}

/** A project (or a domain: a project acting as one) as tokens see it. */
export interface AuthProject {
  id: string;
  name: string;
  domainId: string;
  domainName: string;
  enabled: boolean;
  domainEnabled: boolean;
  isDomain: boolean;
}

/** A domain as tokens see it. */
export interface AuthDomain {
  id: string;
  name: string;
  enabled: boolean;
}

/** The scope roles and the catalog are looked up for. */
export type RoleScope = { projectId: string } | { domainId: string } | { system: true };

/** A name or id reference as auth bodies carry them (`{"id": ...}` or `{"name": ..., "domain": {...}}`). */
export interface NamedRef {
  id?: string;
  name?: string;
  domain?: { id?: string; name?: string };
}

/**
 * What authentication and token validation read of identity's other managers (users, resources,
 * assignments, catalog). The service's wiring adapts the managers to it, so the token code depends
 * only on this narrow contract and is tested with a fake.
 */
export interface AuthDirectory {
  /** The `password` method: the user, or a 401 that never says which part was wrong. */
  passwordLogin(user: NamedRef, password: string): Promise<AuthUser>;
  user(id: string): Promise<AuthUser | undefined>;
  project(id: string): Promise<AuthProject | undefined>;
  projectByName(name: string, domainId: string): Promise<AuthProject | undefined>;
  domain(id: string): Promise<AuthDomain | undefined>;
  domainByName(name: string): Promise<AuthDomain | undefined>;
  /** The user's effective role ids in the scope: direct, through groups, inherited and implied. */
  roleIds(userId: string, scope: RoleScope): Promise<string[]>;
  /** Role references for ids (unknown ids are left out). */
  roles(ids: readonly string[]): Promise<{ id: string; name: string }[]>;
  /** Role ids with every role they imply. */
  expandRoles(ids: readonly string[]): Promise<string[]>;
  /** The catalog a token of this scope shows. */
  catalog(projectId: string | undefined): Promise<CatalogEntry[]>;
  /** Enabled projects where the user has a role (`/v3/auth/projects`). */
  projectsForUser(userId: string): Promise<AuthProject[]>;
  /** Enabled domains where the user has a role (`/v3/auth/domains`). */
  domainsForUser(userId: string): Promise<AuthDomain[]>;
  /** TOTP secrets of the user's `totp` credentials. */
  totpSecrets(userId: string): Promise<string[]>;
}
