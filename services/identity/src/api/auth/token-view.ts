import type { CatalogEntry } from '@nimbus/auth';

/** Named references a token body shows (ids come from the payload, names from the managers). */
export interface TokenNames {
  user: { id: string; name: string; domain: { id: string; name: string }; passwordExpiresAt: number | null };
  project?: { id: string; name: string; domain: { id: string; name: string } };
  domain?: { id: string; name: string };
  system?: boolean;
  roles: { id: string; name: string }[];
  isDomain?: boolean;
  isAdminProject?: boolean;
  trust?: { id: string; impersonation: boolean; trustorUserId: string; trusteeUserId: string };
  applicationCredential?: { id: string; name: string; restricted: boolean; accessRules?: unknown[] };
  /** The OAuth1 access token (and its consumer) an `oauth1` token was issued for. */
  oauth1?: { accessTokenId: string; consumerId: string };
  catalog?: CatalogEntry[];
  /** Enabled federation service providers, shown in every token when there are any. */
  serviceProviders?: { id: string; auth_url: string; sp_url: string }[];
}

/** Keystone's timestamp format: microseconds and a `Z` (`2026-11-24T19:10:00.000000Z`). */
export function keystoneTime(seconds: number): string {
  const whole = Math.floor(seconds);
  const micros = Math.round((seconds - whole) * 1e6);
  return `${new Date(whole * 1000).toISOString().slice(0, 19)}.${String(Math.min(micros, 999_999)).padStart(6, '0')}Z`;
}

/** The `{"token": {...}}` body of token issue and validation, field for field as Keystone writes it. */
export function tokenView(
  p: { methods: string[]; auditIds: string[]; issuedAt: number; expiresAt: number },
  n: TokenNames,
): { token: Record<string, unknown> } {
  const token: Record<string, unknown> = {
    methods: p.methods,
    user: {
      domain: n.user.domain,
      id: n.user.id,
      name: n.user.name,
      password_expires_at: n.user.passwordExpiresAt === null ? null : keystoneTime(n.user.passwordExpiresAt),
    },
    audit_ids: p.auditIds,
    expires_at: keystoneTime(p.expiresAt),
    issued_at: keystoneTime(p.issuedAt),
  };
  if (n.project) {
    token.project = n.project;
    token.is_domain = n.isDomain ?? false;
  }
  if (n.domain) token.domain = n.domain;
  if (n.system) token.system = { all: true };
  if (n.project || n.domain || n.system) token.roles = n.roles;
  if (n.isAdminProject !== undefined && n.project) token.is_admin_project = n.isAdminProject;
  if (n.trust) {
    token['OS-TRUST:trust'] = {
      id: n.trust.id,
      impersonation: n.trust.impersonation,
      trustor_user: { id: n.trust.trustorUserId },
      trustee_user: { id: n.trust.trusteeUserId },
    };
  }
  if (n.oauth1) {
    token['OS-OAUTH1'] = { access_token_id: n.oauth1.accessTokenId, consumer_id: n.oauth1.consumerId };
  }
  if (n.applicationCredential) {
    token.application_credential = {
      id: n.applicationCredential.id,
      name: n.applicationCredential.name,
      restricted: n.applicationCredential.restricted,
      ...(n.applicationCredential.accessRules ? { access_rules: n.applicationCredential.accessRules } : {}),
    };
  }
  if (n.catalog) token.catalog = n.catalog;
  if (n.serviceProviders?.length) token.service_providers = n.serviceProviders;
  return { token };
}
