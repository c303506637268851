import type {
  ApplicationCredentialAuth,
  OAuth1Auth,
  OAuth1Identity,
  SignedOAuthRequest,
  TrustAuth,
} from '../ext/extension-managers';
import type { TokenProvider } from '../token/token-provider';
import type { TokenPayload } from '../../token/token-payload';
import type { AuthDirectory, AuthProject, AuthUser } from './auth-directory';
import {
  authFailed,
  expectingToFind,
  forbiddenAction,
  methodNotImplemented,
  methodNotSupported,
} from './auth-errors';
import type { AuthRequest } from './auth-request';
import { verifyTotp } from './totp';

const BUILT = new Set(['password', 'token', 'application_credential', 'totp', 'oauth1']);
/** Keystone's methods that are enabled by default but not built here: they answer 501. */
const NOT_BUILT = new Set(['mapped']);

/** Token issue options (Keystone's `[auth]`, `[token]` and `[totp]`). */
export interface AuthOptions {
  /** Enabled methods, in Keystone's `[auth] methods` order. */
  methods: readonly string[];
  allowRescopeScopedToken: boolean;
  totpPreviousWindows: number;
  now?: () => number;
}

/** What one authentication established, before scoping. */
interface Authenticated {
  user: AuthUser;
  methods: string[];
  expiresAt?: number;
  parentAuditIds?: string[];
  appCred?: Awaited<ReturnType<ApplicationCredentialAuth['authenticate']>>;
  /** The token a `token` method rescoped. */
  parent?: TokenPayload;
  /** The access token an `oauth1` method presented. */
  oauth?: OAuth1Identity;
}

/** An issued token: the token string and its payload. */
export interface Issued {
  token: string;
  payload: TokenPayload;
}

/**
 * `POST /v3/auth/tokens`: runs every method of the request (all must name the same user),
 * resolves the scope (explicit, a trust's, an application credential's, or the user's default
 * project), checks the user holds a role there, and issues a Fernet token whose lifetime never
 * exceeds its parent token, trust or application credential.
 */
export class AuthManager {
  private readonly now: () => number;

  constructor(
    private readonly directory: AuthDirectory,
    private readonly tokens: TokenProvider,
    private readonly appCreds: ApplicationCredentialAuth,
    private readonly trusts: TrustAuth,
    private readonly options: AuthOptions,
    /** The OS-OAUTH1 extension; without it the `oauth1` method answers 501. */
    private readonly oauth1?: OAuth1Auth,
  ) {
    this.now = options.now ?? (() => Date.now() / 1000);
  }

  /**
   * Issues a token for `auth`. `signed` is the HTTP request as its client signed it (method, URL,
   * Authorization header parameters), which the `oauth1` method verifies.
   */
  async issue(auth: AuthRequest, signed?: SignedOAuthRequest): Promise<Issued> {
    const who = await this.authenticate(auth, signed);
    return this.scopeAndIssue(auth, who);
  }

  private async authenticate(auth: AuthRequest, signed?: SignedOAuthRequest): Promise<Authenticated> {
    const methods = [...new Set(auth.identity.methods)];
    if (methods.length === 0) throw authFailed();
    for (const m of methods) if (auth.identity[m] === undefined) throw expectingToFind(m, 'identity');
    for (const m of methods) {
      if (!this.options.methods.includes(m)) throw methodNotSupported();
      if (NOT_BUILT.has(m) || (m === 'oauth1' && !this.oauth1)) throw methodNotImplemented(m);
      if (!BUILT.has(m)) throw methodNotSupported();
    }
    let result: Authenticated | undefined;
    const merge = (next: Authenticated) => {
      if (result && result.user.id !== next.user.id) throw authFailed();
      result = result
        ? { ...result, ...next, methods: [...new Set([...result.methods, ...next.methods])] }
        : next;
    };
    for (const m of methods) merge(await this.runMethod(m, auth, signed));
    return result!;
  }

  private async runMethod(
    method: string,
    auth: AuthRequest,
    signed: SignedOAuthRequest | undefined,
  ): Promise<Authenticated> {
    const id = auth.identity;
    switch (method) {
      case 'oauth1': {
        if (!signed?.params.oauth_token) throw expectingToFind('oauth_token', 'request');
        const oauth = await this.oauth1!.authenticate(signed);
        const user = await this.directory.user(oauth.userId);
        if (!user?.enabled || !user.domainEnabled) throw authFailed();
        return { user, methods: ['oauth1'], oauth };
      }
      case 'password': {
        const u = id.password?.user;
        if (!u) throw expectingToFind('user', 'password');
        if (typeof u.password !== 'string') throw authFailed();
        return { user: await this.directory.passwordLogin(u, u.password), methods: ['password'] };
      }
      case 'token': {
        // An invalid token here is Keystone's TokenNotFound (404), not a 401.
        const parent = await this.tokens.validate(id.token!.id);
        const p = parent.payload;
        if (p.trustId)
          throw forbiddenAction(
            'Using trust-scoped token to create another token. Create a new trust-scoped token instead',
          );
        if (p.applicationCredentialId)
          throw forbiddenAction('Using an application credential token to create another token');
        if (p.accessTokenId) throw forbiddenAction("Using method 'token' is not allowed for OAuth1 tokens");
        if (!this.options.allowRescopeScopedToken && (p.projectId || p.domainId || p.system))
          throw forbiddenAction('rescope a scoped token');
        const user = await this.directory.user(p.userId);
        if (!user) throw authFailed();
        return {
          user,
          methods: [...p.methods.filter((m) => m !== 'token'), 'token'],
          expiresAt: p.expiresAt,
          parentAuditIds: p.auditIds,
          parent: p,
        };
      }
      case 'application_credential': {
        const ac = id.application_credential!;
        if (typeof ac.secret !== 'string') throw authFailed();
        const identity = await this.appCreds.authenticate({ ...ac, secret: ac.secret } as Parameters<
          ApplicationCredentialAuth['authenticate']
        >[0]);
        const user = await this.directory.user(identity.userId);
        if (!user?.enabled || !user.domainEnabled) throw authFailed();
        return {
          user,
          methods: ['application_credential'],
          appCred: identity,
          ...(identity.expiresAt !== null ? { expiresAt: identity.expiresAt } : {}),
        };
      }
      default: {
        const u = id.totp?.user;
        if (!u?.id || typeof u.passcode !== 'string') throw authFailed();
        const user = await this.directory.user(u.id);
        if (!user?.enabled || !user.domainEnabled) throw authFailed();
        const now = this.now();
        const secrets = await this.directory.totpSecrets(user.id);
        if (!secrets.some((s) => verifyTotp(s, u.passcode!, now, this.options.totpPreviousWindows)))
          throw authFailed();
        return { user, methods: ['totp'] };
      }
    }
  }

  private async scopeAndIssue(auth: AuthRequest, who: Authenticated): Promise<Issued> {
    const base = {
      userId: who.user.id,
      methods: who.methods,
      ...(who.expiresAt !== undefined ? { expiresAt: who.expiresAt } : {}),
      ...(who.parentAuditIds ? { parentAuditIds: who.parentAuditIds } : {}),
    };
    const scope = auth.scope;
    const explicitUnscoped =
      scope === 'unscoped' || (typeof scope === 'object' && scope !== null && 'unscoped' in scope);
    const s = typeof scope === 'object' && scope !== null && !explicitUnscoped ? scope : undefined;
    if (s) {
      const kinds = (['project', 'domain', 'OS-TRUST:trust', 'system'] as const).filter(
        (k) => s[k] !== undefined,
      );
      if (kinds.length !== 1) throw expectingToFind('project, domain, OS-TRUST:trust or system', 'scope');
    } else if (typeof scope === 'string' && scope !== 'unscoped') {
      throw expectingToFind('project, domain, OS-TRUST:trust or system', 'scope');
    }

    if (who.oauth) {
      // The access token decides the scope, whatever the request asks (as Keystone).
      const o = who.oauth;
      await this.lookupProjectById(o.projectId);
      if (o.roleIds.length === 0) throw authFailed();
      return this.tokens.issue({ ...base, projectId: o.projectId, accessTokenId: o.accessTokenId });
    }
    if (who.appCred) {
      const ac = who.appCred;
      if (s?.domain || s?.system || s?.['OS-TRUST:trust']) throw authFailed();
      if (s?.project) {
        const p = await this.lookupProject(s.project);
        if (p.id !== ac.projectId) throw authFailed();
      }
      await this.lookupProjectById(ac.projectId);
      if (ac.roleIds.length === 0) throw authFailed();
      return this.tokens.issue({ ...base, projectId: ac.projectId, applicationCredentialId: ac.id });
    }
    if (s?.['OS-TRUST:trust']) {
      const trustId = s['OS-TRUST:trust'].id;
      if (!trustId) throw expectingToFind('trust_id', 'trust');
      const trust = await this.trusts.authorize(trustId, who.user.id);
      if (trust.projectId) await this.lookupProjectById(trust.projectId);
      const expiresAt =
        trust.expiresAt === null
          ? base.expiresAt
          : Math.min(trust.expiresAt, base.expiresAt ?? Number.POSITIVE_INFINITY);
      return this.tokens.issue({
        ...base,
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        trustId: trust.id,
        ...(trust.projectId ? { projectId: trust.projectId } : {}),
      });
    }
    if (s?.project) {
      const p = await this.lookupProject(s.project);
      await this.requireRoles(who.user.id, { projectId: p.id });
      return this.tokens.issue({ ...base, projectId: p.id });
    }
    if (s?.domain) {
      const d = s.domain.id
        ? await this.directory.domain(s.domain.id)
        : s.domain.name
          ? await this.directory.domainByName(s.domain.name)
          : undefined;
      if (!s.domain.id && !s.domain.name) throw expectingToFind('id or name', 'scope/domain');
      if (!d?.enabled) throw authFailed();
      await this.requireRoles(who.user.id, { domainId: d.id });
      return this.tokens.issue({ ...base, domainId: d.id });
    }
    if (s?.system) {
      if (s.system.all !== true) throw authFailed();
      await this.requireRoles(who.user.id, { system: true });
      return this.tokens.issue({ ...base, system: 'all' });
    }
    // No scope: a rescoped token keeps its parent's scope; otherwise the user's default project
    // when they hold a role there, else unscoped.
    if (!explicitUnscoped && who.parent && !scope) {
      const p = who.parent;
      if (p.projectId) return this.tokens.issue({ ...base, projectId: p.projectId });
      if (p.domainId) return this.tokens.issue({ ...base, domainId: p.domainId });
      if (p.system) return this.tokens.issue({ ...base, system: p.system });
    }
    if (!explicitUnscoped && !who.parent && who.user.defaultProjectId) {
      const p = await this.directory.project(who.user.defaultProjectId);
      if (
        p?.enabled &&
        p.domainEnabled &&
        (await this.directory.roleIds(who.user.id, { projectId: p.id })).length > 0
      ) {
        return this.tokens.issue({ ...base, projectId: p.id });
      }
    }
    return this.tokens.issue(base);
  }

  private async requireRoles(userId: string, scope: Parameters<AuthDirectory['roleIds']>[1]): Promise<void> {
    if ((await this.directory.roleIds(userId, scope)).length === 0) throw authFailed();
  }

  private async lookupProject(ref: {
    id?: string;
    name?: string;
    domain?: { id?: string; name?: string };
  }): Promise<AuthProject> {
    if (!ref.id && !ref.name) throw expectingToFind('id or name', 'scope/project');
    if (ref.id && !ref.name) return this.lookupProjectById(ref.id);
    if (!ref.domain) throw expectingToFind('domain', 'project');
    const d = ref.domain.id
      ? await this.directory.domain(ref.domain.id)
      : ref.domain.name
        ? await this.directory.domainByName(ref.domain.name)
        : undefined;
    if (!d?.enabled) throw authFailed();
    const p = await this.directory.projectByName(ref.name!, d.id);
    if (!p?.enabled) throw authFailed();
    return p;
  }

  private async lookupProjectById(id: string): Promise<AuthProject> {
    const p = await this.directory.project(id);
    if (!p?.enabled || !p.domainEnabled) throw authFailed();
    return p;
  }
}
