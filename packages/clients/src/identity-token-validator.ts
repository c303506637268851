import type { CatalogEntry, Credentials, TokenValidator, ValidateOptions } from '@nimbus/auth';
import { UnauthorizedError } from '@nimbus/errors';
import { faultMessage } from './http-error';

/** The token document Keystone returns from GET /v3/auth/tokens (the fields services read). */
interface KeystoneToken {
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
  'OS-TRUST:trust'?: { id: string; impersonation: boolean; trustor_user: { id: string }; trustee_user: { id: string } };
  application_credential?: { id: string; name: string; restricted: boolean; access_rules?: { service: string; method: string; path: string }[] };
  catalog?: CatalogEntry[];
}

/**
 * Validates tokens by asking a remote identity API (GET /v3/auth/tokens with the service's own
 * token), as keystonemiddleware does for services in their own processes. Wrap it in a
 * CachingTokenValidator to bound the load and the revocation delay.
 */
export class IdentityTokenValidator implements TokenValidator {
  constructor(
    private readonly authUrl: string,
    /** The service's own token (a Session's `token()`). */
    private readonly serviceToken: () => Promise<string>,
  ) {}

  async validate(token: string, options?: ValidateOptions): Promise<Credentials> {
    if (!token || token.length > 8192) throw new UnauthorizedError();
    const url = new URL(`${this.authUrl.replace(/\/$/, '')}/auth/tokens`);
    if (options?.allowExpired) url.searchParams.set('allow_expired', 'true');
    if (!options?.includeCatalog) url.searchParams.set('nocatalog', 'true');
    const res = await fetch(url, { headers: { 'x-auth-token': await this.serviceToken(), 'x-subject-token': token, accept: 'application/json' } });
    const text = await res.text();
    if (res.status === 404 || res.status === 401) throw new UnauthorizedError();
    if (res.status !== 200) throw new UnauthorizedError(`Token validation failed: ${faultMessage(text)}`);
    return toCredentials(token, (JSON.parse(text) as { token: KeystoneToken }).token);
  }
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
      ? { projectId: t.project.id, projectName: t.project.name, projectDomainId: t.project.domain.id, projectDomainName: t.project.domain.name }
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
    ...(trust ? { trust: { id: trust.id, impersonation: trust.impersonation, trustorUserId: trust.trustor_user.id, trusteeUserId: trust.trustee_user.id } } : {}),
    ...(t.application_credential
      ? { applicationCredential: { id: t.application_credential.id, name: t.application_credential.name, restricted: t.application_credential.restricted, accessRules: t.application_credential.access_rules } }
      : {}),
    ...(t.catalog ? { catalog: t.catalog } : {}),
  };
}
