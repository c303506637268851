import type { RevocationEvent } from '../revocation/revocation-event';

/** A user as the extensions need to see it. */
export interface UserRef {
  id: string;
  name: string;
  domainId: string;
  enabled: boolean;
}

/** A project (or domain: Keystone's domains are projects with `isDomain`). */
export interface ProjectRef {
  id: string;
  name: string;
  domainId: string;
  enabled: boolean;
  isDomain: boolean;
}

/** A role, enough to render Keystone's role body. */
export interface RoleRef {
  id: string;
  name: string;
  domainId: string | null;
  description: string | null;
  options: Record<string, unknown>;
}

/** What a token issued by the extensions (ec2tokens, s3tokens) carries. */
export interface ExtensionTokenRequest {
  userId: string;
  projectId: string;
  methods: string[];
  trustId?: string;
  applicationCredentialId?: string;
  accessTokenId?: string;
}

/** An issued token and its rendered `{"token": ...}` body, as POST /v3/auth/tokens answers. */
export interface IssuedToken {
  token: string;
  body: unknown;
}

/**
 * What the extension managers read of identity's core: users, projects, roles and effective
 * assignments, revocation, and (for federation and EC2/S3) domain creation and token issue.
 * `createExtensionManagers` adapts the core managers to it, so the extensions depend only on
 * this narrow contract.
 */
export interface ExtensionCoreAccess {
  getUser(id: string): Promise<UserRef | undefined>;
  getUserByName(name: string, domainId: string): Promise<UserRef | undefined>;
  /** A project or a domain by id. */
  getProject(id: string): Promise<ProjectRef | undefined>;
  getDomainByName(name: string): Promise<ProjectRef | undefined>;
  getRole(id: string): Promise<RoleRef | undefined>;
  /** Roles with this name (global and domain-specific). */
  findRolesByName(name: string): Promise<RoleRef[]>;
  /** Role ids the user holds on the project now: direct, group, inherited and implied. */
  effectiveRoleIds(userId: string, projectId: string): Promise<string[]>;
  /** The role ids with every role they imply added (implied-role inference). */
  expandImpliedRoles(roleIds: readonly string[]): Promise<string[]>;
  /** Creates a domain (federation gives each identity provider one when none is named). */
  createDomain(input: { name: string; description: string; enabled: boolean }): Promise<ProjectRef>;
  serviceExists(id: string): Promise<boolean>;
  regionExists(id: string): Promise<boolean>;
  /** Records a revocation event; tokens it matches fail validation at once. */
  revoke(event: Omit<RevocationEvent, 'issuedBefore' | 'revokedAt'>): Promise<void>;
  /** Issues a token (ec2tokens, s3tokens); undefined when core does not offer it. */
  issueToken?(request: ExtensionTokenRequest): Promise<IssuedToken>;
}
