import type { CatalogEntry, Credentials } from '@nimbus/auth';

/** The token document Keystone returns from GET /v3/auth/tokens (the fields services read). */
export interface KeystoneToken {
  methods: string[];
  user: { id: string; name: string; domain: { id: string; name: string } };
  project?: { id: string; name: string; domain: { id: string; name: string } };
  domain?: { id: string; name: string };
  system?: { all?: boolean };
  roles?: { id: string; name: string }[];
  is_admin_project?: boolean;
  audit_ids: string[];
  issued_at: string;
  expires_at: string;
  'OS-TRUST:trust'?: {
    id: string;
    impersonation: boolean;
    trustor_user: { id: string };
    trustee_user: { id: string };
  };
  application_credential?: {
    id: string;
    name: string;
    restricted: boolean;
    access_rules?: { service: string; method: string; path: string }[];
  };
  catalog?: CatalogEntry[];
}

/** Maps Keystone's token document onto the credentials model. */
export function toCredentials(raw: string, t: KeystoneToken): Credentials {
  const roles = t.roles ?? [];
  const trust = t['OS-TRUST:trust'];
  return {
    token: raw,
    userId: t.user.id,
    userName: t.user.name,
    userDomainId: t.user.domain.id,
    userDomainName: t.user.domain.name,
    ...(t.project
      ? {
          projectId: t.project.id,
          projectName: t.project.name,
          projectDomainId: t.project.domain.id,
          projectDomainName: t.project.domain.name,
        }
      : {}),
    ...(t.domain ? { domainId: t.domain.id, domainName: t.domain.name } : {}),
    ...(t.system?.all ? { systemScope: 'all' as const } : {}),
    roles: roles.map((r) => r.name),
    roleIds: roles.map((r) => r.id),
    isAdminProject: t.is_admin_project ?? false,
    methods: t.methods,
    auditIds: t.audit_ids,
    issuedAt: new Date(t.issued_at),
    expiresAt: new Date(t.expires_at),
    ...(trust
      ? {
          trust: {
            id: trust.id,
            impersonation: trust.impersonation,
            trustorUserId: trust.trustor_user.id,
            trusteeUserId: trust.trustee_user.id,
          },
        }
      : {}),
    ...(t.application_credential
      ? {
          applicationCredential: {
            id: t.application_credential.id,
            name: t.application_credential.name,
            restricted: t.application_credential.restricted,
            accessRules: t.application_credential.access_rules,
          },
        }
      : {}),
    ...(t.catalog ? { catalog: t.catalog } : {}),
  };
}
