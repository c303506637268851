import { join } from 'node:path';
import type { Database } from '@nimbus/db';
import { ApplicationCredentialRepository } from '../../db/ext/application-credential-repository';
import { CredentialRepository } from '../../db/ext/credential-repository';
import { FederationRepository } from '../../db/ext/federation-repository';
import { LimitRepository } from '../../db/ext/limit-repository';
import { OAuth1Repository } from '../../db/ext/oauth1-repository';
import { PolicyBlobRepository } from '../../db/ext/policy-blob-repository';
import { TrustRepository } from '../../db/ext/trust-repository';
import type { PasswordHasher } from '../../password/password-hasher';
import {
  type ApplicationCredentialIdentity,
  ApplicationCredentialManager,
} from './application-credential-manager';
import type { ExtensionCoreAccess } from './core-access';
import { CredentialCipher } from './credential-cipher';
import { CredentialManager } from './credential-manager';
import { DEFAULT_RELAY_STATE_PREFIX, FederationManager } from './federation-manager';
import { LimitManager } from './limit-manager';
import { type OAuth1Identity, OAuth1Manager, type SignedOAuthRequest } from './oauth1-manager';
import { PolicyBlobManager } from './policy-blob-manager';
import { TrustManager, type TrustScope } from './trust-manager';

export type { ApplicationCredentialIdentity } from './application-credential-manager';
export type { ExtensionCoreAccess } from './core-access';
export type { OAuth1Identity, SignedOAuthRequest } from './oauth1-manager';
export type { TrustScope } from './trust-manager';

/**
 * The `application_credential` auth method's seam: core's token code calls it to authenticate
 * and, at every validation of an application-credential token, to re-read the credential.
 */
export interface ApplicationCredentialAuth {
  /**
   * Verifies `{id | name + user}` and `secret`. Throws a 401 (never saying which part was wrong)
   * for an unknown, expired or mismatched credential.
   */
  authenticate(input: {
    id?: string;
    name?: string;
    secret: string;
    user?: { id?: string; name?: string; domain?: { id?: string; name?: string } };
  }): Promise<ApplicationCredentialIdentity>;
  /** The credential now (roles still held by its user), or undefined when deleted or expired: the token is then invalid. */
  identity(id: string): Promise<ApplicationCredentialIdentity | undefined>;
}

/** The trust-scope seam: core's token code calls it for `scope: {"OS-TRUST:trust": {...}}` and at validation. */
export interface TrustAuth {
  /**
   * Authorizes the authenticated user (who must be the trustee) to use the trust and spends one
   * use. 404 for an unknown, expired or used-up trust; 403 when not the trustee or the trust can
   * no longer be honoured (trustor lost a delegated role, an agent is disabled).
   */
  authorize(trustId: string, authenticatedUserId: string): Promise<TrustScope>;
  /** The trust now, or undefined when deleted, expired or no longer honourable: the token is then invalid. */
  scope(trustId: string): Promise<TrustScope | undefined>;
}

/**
 * The `oauth1` auth method's seam: core's token code calls it to authenticate a request signed
 * with an access token and, at every validation of an OAuth-scoped token, to re-read the token.
 */
export interface OAuth1Auth {
  /** Verifies the signed request (see OAuth1Manager.authenticate for its errors). */
  authenticate(request: SignedOAuthRequest): Promise<OAuth1Identity>;
  /** The access token now, or undefined when deleted: its Keystone tokens are then invalid. */
  identity(accessTokenId: string): Promise<OAuth1Identity | undefined>;
}

/** Events of core the extensions react to; core calls these after its own change is committed. */
export interface ExtensionHooks {
  /** Deletes the user's credentials, application credentials, access rules and trusts. */
  userDeleted(userId: string): Promise<void>;
  /** Deletes the user's application credentials (Keystone does so when a user is disabled). */
  userDisabled(userId: string): Promise<void>;
  /** Deletes the project's credentials and limits. */
  projectDeleted(projectId: string): Promise<void>;
  /** Deletes the domain's limits and identity providers. */
  domainDeleted(domainId: string): Promise<void>;
  /** A user lost a role on a project: their application credentials on it are deleted, as Keystone does. */
  userLostProjectRole(userId: string, projectId: string): Promise<void>;
}

/** Every extension manager, handed to the extension controllers as `req.services.extensions`. */
export interface ExtensionManagers {
  credentials: CredentialManager;
  applicationCredentials: ApplicationCredentialManager;
  trusts: TrustManager;
  limits: LimitManager;
  policies: PolicyBlobManager;
  federation: FederationManager;
  oauth1: OAuth1Manager;
  applicationCredentialAuth: ApplicationCredentialAuth;
  trustAuth: TrustAuth;
  oauth1Auth: OAuth1Auth;
  hooks: ExtensionHooks;
  /** The `service_providers` of token bodies (enabled service providers); omit the key when empty. */
  serviceProvidersForToken(): Promise<{ id: string; auth_url: string; sp_url: string }[]>;
  /** Core access, kept for the EC2/S3 token routes. */
  core: ExtensionCoreAccess;
}

/** Options of the extensions (Keystone's `[credential]`, `[application_credential]`, `[trust]`, `[oauth1]`, `[saml]`). */
export interface ExtensionOptions {
  credentialUserLimit: number;
  applicationCredentialUserLimit: number;
  maxRedelegationCount: number;
  requestTokenDurationSeconds: number;
  accessTokenDurationSeconds: number;
  relayStatePrefix: string;
}

/** Keystone's defaults for ExtensionOptions. */
export const defaultExtensionOptions: ExtensionOptions = {
  credentialUserLimit: -1,
  applicationCredentialUserLimit: -1,
  maxRedelegationCount: 3,
  requestTokenDurationSeconds: 28800,
  accessTokenDurationSeconds: 86400,
  relayStatePrefix: DEFAULT_RELAY_STATE_PREFIX,
};

/** What the extensions need besides core. */
export interface ExtensionDeps {
  db: Database;
  /** The cloud's data directory: credential keys live in `<dataDir>/credential-keys`. */
  dataDir: string;
  /** Hashes application-credential secrets (bcrypt, as passwords). */
  hasher: PasswordHasher;
  options?: Partial<ExtensionOptions>;
  /** Clock in milliseconds, for tests. */
  now?: () => number;
}

/**
 * Builds the extension managers over core. The credential key repository is created on first
 * use (staged and primary keys), as `keystone-manage credential_setup` would.
 */
export function createExtensionManagers(core: ExtensionCoreAccess, deps: ExtensionDeps): ExtensionManagers {
  const o = { ...defaultExtensionOptions, ...deps.options };
  const now = deps.now;
  const credentials = new CredentialManager(
    new CredentialRepository(deps.db),
    CredentialCipher.open(join(deps.dataDir, 'credential-keys')),
    { userLimit: o.credentialUserLimit },
  );
  const applicationCredentials = new ApplicationCredentialManager(
    new ApplicationCredentialRepository(deps.db),
    core,
    deps.hasher,
    { userLimit: o.applicationCredentialUserLimit, now },
  );
  const trusts = new TrustManager(new TrustRepository(deps.db), core, {
    maxRedelegationCount: o.maxRedelegationCount,
    now,
  });
  const limits = new LimitManager(new LimitRepository(deps.db), core);
  const federation = new FederationManager(new FederationRepository(deps.db), core, {
    relayStatePrefix: o.relayStatePrefix,
  });
  const oauth1 = new OAuth1Manager(new OAuth1Repository(deps.db), core, {
    requestTokenDurationSeconds: o.requestTokenDurationSeconds,
    accessTokenDurationSeconds: o.accessTokenDurationSeconds,
    now,
  });
  return {
    credentials,
    applicationCredentials,
    trusts,
    limits,
    policies: new PolicyBlobManager(new PolicyBlobRepository(deps.db)),
    federation,
    oauth1,
    applicationCredentialAuth: {
      authenticate: (input) => applicationCredentials.authenticate(input),
      identity: (id) => applicationCredentials.identity(id),
    },
    trustAuth: {
      authorize: (trustId, userId) => trusts.authorize(trustId, userId),
      scope: (trustId) => trusts.scope(trustId),
    },
    oauth1Auth: {
      authenticate: (request) => oauth1.authenticate(request),
      identity: (accessTokenId) => oauth1.identity(accessTokenId),
    },
    hooks: {
      async userDeleted(userId) {
        await credentials.deleteFor({ userId });
        await applicationCredentials.deleteFor(userId);
        await trusts.deleteForUser(userId);
      },
      async userDisabled(userId) {
        await applicationCredentials.deleteFor(userId);
      },
      async projectDeleted(projectId) {
        await credentials.deleteFor({ projectId });
        await limits.deleteLimitsOf(projectId);
      },
      async domainDeleted(domainId) {
        await limits.deleteLimitsOf(domainId);
        await federation.deleteIdpsOfDomain(domainId);
      },
      async userLostProjectRole(userId, projectId) {
        await applicationCredentials.deleteFor(userId, projectId);
      },
    },
    serviceProvidersForToken: () => federation.serviceProvidersForToken(),
    core,
  };
}
