import { resolve } from 'node:path';
import type { Config } from '@nimbus/config';
import type { Database } from '@nimbus/db';
import type { Logger } from '@nimbus/logging';
import { loadServicePolicy } from '@nimbus/policy';
import { identityPolicies } from './api/policy/identity-policies';
import { identityPolicyCredentials } from './api/policy/identity-policy-credentials';
import { keyRepositoryPath } from './cli/fernet-commands';
import {
  authOptions,
  extensionOptions,
  fernetOptions,
  identityOptions,
  passwordCheckOptions,
  policyOptions,
  resourceOptions,
  securityComplianceOptions,
  tokenOptions,
} from './conf/options';
import { CatalogRepository } from './db/repositories/catalog-repository';
import { DomainConfigRepository } from './db/repositories/domain-config-repository';
import { EndpointFilterRepository } from './db/repositories/endpoint-filter-repository';
import { EndpointPolicyRepository } from './db/repositories/endpoint-policy-repository';
import { GroupRepository } from './db/repositories/group-repository';
import { ProjectRepository } from './db/repositories/project-repository';
import { RevocationRepository } from './db/repositories/revocation-repository';
import { RoleRepository } from './db/repositories/role-repository';
import { UserRepository } from './db/repositories/user-repository';
import { AssignmentManager } from './manager/assignment/assignment-manager';
import { RoleManager } from './manager/assignment/role-manager';
import { AuthManager } from './manager/auth/auth-manager';
import { LocalTokenValidator } from './manager/auth/local-token-validator';
import { cachingDirectory } from './manager/auth/caching-directory';
import { managerDirectory } from './manager/auth/manager-directory';
import { tokenSubjects } from './manager/auth/token-subjects';
import { TokenRenderer } from './manager/auth/token-renderer';
import { CatalogManager } from './manager/catalog/catalog-manager';
import { EndpointFilterManager } from './manager/catalog/endpoint-filter-manager';
import { EndpointPolicyManager } from './manager/catalog/endpoint-policy-manager';
import { createExtensionManagers } from './manager/ext/extension-managers';
import { managerCoreAccess } from './manager/ext/manager-core-access';
import { identityEventHandlers, lateBoundEvents } from './manager/identity-event-handlers';
import { DomainConfigManager } from './manager/resource/domain-config-manager';
import { ResourceManager } from './manager/resource/resource-manager';
import { RevocationManager } from './manager/revocation/revocation-manager';
import { TokenProvider } from './manager/token/token-provider';
import { GroupManager } from './manager/user/group-manager';
import { UserManager } from './manager/user/user-manager';
import { PasswordHasher } from './password/password-hasher';
import { cachedKeys } from './token/key-cache';
import { KeyRepository } from './token/key-repository';
import { TokenFormatter } from './token/token-formatter';

/** What building identity needs: its options, database and data directory. */
export interface IdentityCoreInput {
  config: Config;
  db: Database;
  dataDir: string;
  logger: Logger;
  /** Reload the policy file when it changes (default true; one-shot commands pass false). */
  watchPolicy?: boolean;
}

/** A function whose answer is reused for `ms` milliseconds, or until `generation()` moves. */
function shortLived<T>(fn: () => Promise<T>, generation: () => number, ms = 1000): () => Promise<T> {
  let at = 0;
  let seen = -1;
  let value: Promise<T> | undefined;
  return () => {
    if (!value || Date.now() - at > ms || generation() !== seen) {
      at = Date.now();
      seen = generation();
      value = fn();
    }
    return value;
  };
}

/**
 * Builds identity's managers, token machinery and policy enforcer from configuration. Used by
 * the service (API) and by `nimbus identity bootstrap`.
 */
export function buildIdentityCore(input: IdentityCoreInput) {
  const { config, db, dataDir } = input;
  const token = config.group(tokenOptions);
  const fernet = config.group(fernetOptions);
  const identity = config.group(identityOptions);
  const resource = config.group(resourceOptions);
  const auth = config.group(authOptions);
  const sc = config.group(securityComplianceOptions);
  const ext = config.group(extensionOptions);
  const pol = config.group(policyOptions);

  const keys = new KeyRepository(
    keyRepositoryPath(dataDir, fernet.key_repository, 'fernet-keys'),
    fernet.max_active_keys,
  );
  if (!keys.isSetUp()) keys.setup();
  const hasher = new PasswordHasher({
    rounds: identity.password_hash_rounds,
    maxLength: identity.max_password_length,
    strict: config.group(passwordCheckOptions).strict_password_check,
  });
  const events = lateBoundEvents();

  const projectRepo = new ProjectRepository(db);
  const userRepo = new UserRepository(db);
  const groupRepo = new GroupRepository(db);
  const roleRepo = new RoleRepository(db);
  const resources = new ResourceManager(projectRepo, events, {
    maxProjectTreeDepth: resource.max_project_tree_depth,
  });
  const users = new UserManager(
    userRepo,
    projectRepo,
    hasher,
    {
      lockoutFailureAttempts: sc.lockout_failure_attempts,
      lockoutDurationSeconds: sc.lockout_duration,
      passwordRegex: sc.password_regex,
      passwordRegexDescription: sc.password_regex_description,
      uniqueLastPasswordCount: sc.unique_last_password_count,
      passwordExpiresDays: sc.password_expires_days,
      minimumPasswordAgeDays: sc.minimum_password_age,
      changePasswordUponFirstUse: sc.change_password_upon_first_use,
    },
    events,
  );
  const groups = new GroupManager(groupRepo, userRepo, projectRepo, events);
  const roles = new RoleManager(roleRepo, events);
  const assignments = new AssignmentManager(roleRepo, roles, userRepo, groupRepo, projectRepo, events);
  const catalog = new CatalogManager(new CatalogRepository(db));
  const domainConfigRepo = new DomainConfigRepository(db);
  const endpointFilter = new EndpointFilterManager(new EndpointFilterRepository(db), catalog, (id) =>
    resources.getProject(id),
  );
  const revocations = new RevocationManager(
    new RevocationRepository(db),
    token.expiration + token.allow_expired_window,
  );

  // The extensions read core through a narrow contract; core's token machinery reads them back.
  let tokensRef: TokenProvider | undefined;
  let rendererRef: TokenRenderer | undefined;
  const extensions = createExtensionManagers(
    managerCoreAccess({
      users,
      resources,
      roles,
      assignments,
      catalog,
      revocations,
      get tokens() {
        return tokensRef!;
      },
      get renderer() {
        return rendererRef!;
      },
    }),
    {
      db,
      dataDir,
      hasher,
      options: {
        credentialUserLimit: ext.user_limit,
        applicationCredentialUserLimit: ext.application_credential_user_limit,
        maxRedelegationCount: ext.trust_max_redelegation_count,
      },
    },
  );
  const endpointPolicy = new EndpointPolicyManager(new EndpointPolicyRepository(db), catalog, (id) =>
    extensions.policies.get(id),
  );
  events.bind(
    identityEventHandlers(revocations, extensions.hooks, {
      actorDeleted: (id) => assignments.deleteForActor(id),
      async targetDeleted(id) {
        await assignments.deleteForTarget(id);
        await endpointFilter.forgetProject(id);
      },
      async domainEmptied(domainId) {
        for (const u of await users.list({ domainId })) await users.delete(u.id);
        for (const g of await groups.list({ domainId })) await groups.delete(g.id);
        for (const r of await roles.list({ domainId })) await roles.delete(r.id);
        await domainConfigRepo.delete(domainId);
      },
    }),
  );

  const directory = managerDirectory({
    users,
    resources,
    roles,
    assignments,
    catalog,
    endpointFilter,
    credentials: extensions.credentials,
  });
  // Token issue and validation (every API call of every service) read the directory through a
  // short cache, dropped on every revocation and every write to identity (see invalidatingWrites).
  const cachedDirectory = cachingDirectory(directory, () => revocations.generation);
  const tokens = new TokenProvider(
    new TokenFormatter(cachedKeys(keys), auth.methods),
    revocations.index,
    tokenSubjects(
      cachedDirectory,
      extensions.trustAuth,
      extensions.applicationCredentialAuth,
      extensions.oauth1Auth,
    ),
    { expirationSeconds: token.expiration, allowExpiredWindowSeconds: token.allow_expired_window },
  );
  const renderer = new TokenRenderer(
    cachedDirectory,
    extensions.trustAuth,
    extensions.applicationCredentialAuth,
    { name: resource.admin_project_name || null, domainName: resource.admin_project_domain_name || null },
    shortLived(
      () => extensions.serviceProvidersForToken(),
      () => revocations.generation,
    ),
    extensions.oauth1Auth,
  );
  tokensRef = tokens;
  rendererRef = renderer;
  const authManager = new AuthManager(
    cachedDirectory,
    tokens,
    extensions.applicationCredentialAuth,
    extensions.trustAuth,
    {
      methods: auth.methods,
      allowRescopeScopedToken: token.allow_rescope_scoped_token,
      totpPreviousWindows: auth.totp_included_previous_windows,
    },
    extensions.oauth1Auth,
  );
  const validator = new LocalTokenValidator(tokens, renderer, revocations);
  // <policy_dir>/identity.yaml, over the single policy_file of earlier releases.
  const policy = loadServicePolicy({
    serviceType: 'identity',
    defaults: identityPolicies,
    config,
    dataDir,
    logger: input.logger,
    credentials: identityPolicyCredentials,
    legacyFile: pol.policy_file ? resolve(dataDir, pol.policy_file) : undefined,
    watch: input.watchPolicy ?? true,
  });
  return {
    services: {
      resources,
      domainConfigs: new DomainConfigManager(domainConfigRepo, sc),
      users,
      groups,
      roles,
      assignments,
      catalog,
      endpointFilter,
      endpointPolicy,
      extensions,
      auth: { manager: authManager, tokens, renderer, revocations, directory },
    },
    revocations,
    validator,
    policy,
    refreshSeconds: token.revocation_refresh_seconds,
  };
}

/** The managers and machinery `buildIdentityCore` returns. */
export type IdentityCore = ReturnType<typeof buildIdentityCore>;
