import type { CatalogEntry, Credentials } from '@nimbus/auth';
import { tokenView, type TokenNames } from '../../api/auth/token-view';
import type { ApplicationCredentialAuth, OAuth1Auth, TrustAuth } from '../ext/extension-managers';
import { TokenNotFound, type ValidatedToken } from '../token/token-provider';
import type { AuthDirectory } from './auth-directory';

/** Keystone's `[resource] admin_project_name` / `admin_project_domain_name`. */
export interface AdminProject {
  name: string | null;
  domainName: string | null;
}

/** A validated token with everything its body and credentials show. */
export interface DescribedToken {
  validated: ValidatedToken;
  names: TokenNames;
  /** The user the token acts as: the trustor for impersonating trust tokens. */
  effectiveUserId: string;
}

/**
 * Turns a validated token into what callers see: Keystone's token body, and the Credentials the
 * other services authorize with. Names are read now, so renames show at once.
 */
export class TokenRenderer {
  constructor(
    private readonly directory: AuthDirectory,
    private readonly trusts: TrustAuth,
    private readonly appCreds: ApplicationCredentialAuth,
    private readonly adminProject: AdminProject,
    private readonly serviceProviders: () => Promise<
      { id: string; auth_url: string; sp_url: string }[]
    > = async () => [],
    private readonly oauth1?: OAuth1Auth,
  ) {}

  async describe(v: ValidatedToken, includeCatalog: boolean): Promise<DescribedToken> {
    const p = v.payload;
    const trust = p.trustId ? await this.trusts.scope(p.trustId) : undefined;
    if (p.trustId && !trust) throw new TokenNotFound();
    const effectiveUserId = trust?.impersonation ? trust.trustorUserId : p.userId;
    const user = await this.directory.user(effectiveUserId);
    if (!user) throw new TokenNotFound();
    const names: TokenNames = {
      user: {
        id: user.id,
        name: user.name,
        domain: { id: user.domainId, name: user.domainName },
        passwordExpiresAt: user.passwordExpiresAt,
      },
      roles: await this.directory.roles(v.roleIds),
    };
    if (p.projectId) {
      const project = await this.directory.project(p.projectId);
      if (!project) throw new TokenNotFound();
      names.project = {
        id: project.id,
        name: project.name,
        domain: { id: project.domainId, name: project.domainName },
      };
      names.isDomain = project.isDomain;
      if (this.adminProject.name && this.adminProject.domainName) {
        names.isAdminProject =
          project.name === this.adminProject.name && project.domainName === this.adminProject.domainName;
      }
    }
    if (p.domainId) {
      const domain = await this.directory.domain(p.domainId);
      if (!domain) throw new TokenNotFound();
      names.domain = { id: domain.id, name: domain.name };
    }
    if (p.system) names.system = true;
    if (trust)
      names.trust = {
        id: trust.id,
        impersonation: trust.impersonation,
        trustorUserId: trust.trustorUserId,
        trusteeUserId: trust.trusteeUserId,
      };
    if (p.applicationCredentialId) {
      const ac = await this.appCreds.identity(p.applicationCredentialId);
      if (!ac) throw new TokenNotFound();
      names.applicationCredential = {
        id: ac.id,
        name: ac.name,
        restricted: !ac.unrestricted,
        ...(ac.accessRules ? { accessRules: ac.accessRules } : {}),
      };
    }
    if (p.accessTokenId) {
      const access = await this.oauth1?.identity(p.accessTokenId);
      if (!access) throw new TokenNotFound();
      names.oauth1 = { accessTokenId: access.accessTokenId, consumerId: access.consumerId };
    }
    if (includeCatalog && (p.projectId || p.domainId || p.system))
      names.catalog = await this.catalog(p.projectId);
    const sps = await this.serviceProviders();
    if (sps.length) names.serviceProviders = sps;
    return { validated: v, names, effectiveUserId };
  }

  /** Keystone's `{"token": {...}}` body. */
  body(d: DescribedToken): { token: Record<string, unknown> } {
    const p = d.validated.payload;
    return tokenView(
      { methods: p.methods, auditIds: p.auditIds, issuedAt: d.validated.issuedAt, expiresAt: p.expiresAt },
      d.names,
    );
  }

  /** The credentials other services authorize with. */
  credentials(d: DescribedToken): Credentials {
    const { payload: p, token, issuedAt } = d.validated;
    const n = d.names;
    const c: Credentials = {
      token,
      userId: n.user.id,
      userName: n.user.name,
      userDomainId: n.user.domain.id,
      userDomainName: n.user.domain.name,
      roles: n.roles.map((r) => r.name),
      roleIds: n.roles.map((r) => r.id),
      isAdminProject: n.isAdminProject ?? true,
      methods: p.methods,
      auditIds: p.auditIds,
      issuedAt: new Date(issuedAt * 1000),
      expiresAt: new Date(p.expiresAt * 1000),
    };
    if (n.project) {
      c.projectId = n.project.id;
      c.projectName = n.project.name;
      c.projectDomainId = n.project.domain.id;
      c.projectDomainName = n.project.domain.name;
    }
    if (n.domain) {
      c.domainId = n.domain.id;
      c.domainName = n.domain.name;
    }
    if (n.system) c.systemScope = 'all';
    if (n.trust)
      c.trust = {
        id: n.trust.id,
        trustorUserId: n.trust.trustorUserId,
        trusteeUserId: n.trust.trusteeUserId,
        impersonation: n.trust.impersonation,
      };
    if (n.applicationCredential) {
      c.applicationCredential = {
        id: n.applicationCredential.id,
        name: n.applicationCredential.name,
        restricted: n.applicationCredential.restricted,
        ...(n.applicationCredential.accessRules
          ? {
              accessRules: n.applicationCredential.accessRules as {
                service: string;
                method: string;
                path: string;
              }[],
            }
          : {}),
      };
    }
    if (n.oauth1) c.oauth1 = { ...n.oauth1 };
    if (n.catalog) c.catalog = n.catalog;
    return c;
  }

  catalog(projectId: string | undefined): Promise<CatalogEntry[]> {
    return this.directory.catalog(projectId);
  }
}
