/** A trust a token was issued under (OS-TRUST). */
export interface TrustInfo {
  id: string;
  trustorUserId: string;
  trusteeUserId: string;
  impersonation: boolean;
}

/** The application credential a token was issued with. */
export interface ApplicationCredentialInfo {
  id: string;
  name: string;
  /** False when the credential is `unrestricted` (may manage other credentials and trusts). */
  restricted: boolean;
  /** Access rules limiting which API calls the token may make; absent means no limit. */
  accessRules?: { service: string; method: string; path: string }[];
}

/** One endpoint of a catalog entry, as Keystone renders it in a token. */
export interface CatalogEndpoint {
  id: string;
  interface: 'public' | 'internal' | 'admin';
  region: string | null;
  region_id: string | null;
  url: string;
}

/** One service in the token's catalog. */
export interface CatalogEntry {
  id: string;
  type: string;
  name: string;
  endpoints: CatalogEndpoint[];
}

/**
 * Who is calling and with what authority: what a validated token says. Every service sees the
 * same model whether the token was checked locally (shared Fernet keys) or by the identity API.
 */
export interface Credentials {
  /** The raw token, for calls made on the caller's behalf. */
  token: string;
  userId: string;
  userName: string;
  userDomainId: string;
  userDomainName: string;
  projectId?: string;
  projectName?: string;
  projectDomainId?: string;
  projectDomainName?: string;
  /** Set on domain-scoped tokens. */
  domainId?: string;
  domainName?: string;
  /** `all` on system-scoped tokens. */
  systemScope?: 'all';
  /** Role names, implied roles included. */
  roles: string[];
  roleIds: string[];
  /** True when the token is scoped to the configured admin project (Keystone's is_admin_project). */
  isAdminProject: boolean;
  methods: string[];
  auditIds: string[];
  issuedAt: Date;
  expiresAt: Date;
  trust?: TrustInfo;
  applicationCredential?: ApplicationCredentialInfo;
  /** The OAuth1 access token the token was issued for (OS-OAUTH1), when it was. */
  oauth1?: { accessTokenId: string; consumerId: string };
  /** Roles of the X-Service-Token, when a service forwarded a user's request. */
  serviceRoles?: string[];
  catalog?: CatalogEntry[];
}

/** The scope kind of a credential, as oslo.policy's scope_types name them. */
export function scopeOf(creds: Credentials): 'system' | 'domain' | 'project' | 'unscoped' {
  if (creds.systemScope) return 'system';
  if (creds.domainId) return 'domain';
  if (creds.projectId) return 'project';
  return 'unscoped';
}

/**
 * The `creds` dictionary oslo.policy rules read (`role:`, `project_id:`, `system_scope:`...), built
 * from credentials. Key names match keystonemiddleware's so operators' policy files keep working.
 */
export function toPolicyCredentials(creds: Credentials): Record<string, unknown> {
  return {
    user_id: creds.userId,
    user_domain_id: creds.userDomainId,
    project_id: creds.projectId ?? null,
    tenant: creds.projectId ?? null,
    project_domain_id: creds.projectDomainId ?? null,
    domain_id: creds.domainId ?? null,
    system_scope: creds.systemScope ?? null,
    roles: creds.roles,
    is_admin_project: creds.isAdminProject,
    trust_id: creds.trust?.id ?? null,
    trustor_id: creds.trust?.trustorUserId ?? null,
    trustee_id: creds.trust?.trusteeUserId ?? null,
    application_credential_id: creds.applicationCredential?.id ?? null,
    service_roles: creds.serviceRoles ?? [],
  };
}
