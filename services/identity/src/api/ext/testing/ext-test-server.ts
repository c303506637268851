import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credentials, TokenValidator } from '@nimbus/auth';
import { migrate, openTestDatabase } from '@nimbus/db';
import { UnauthorizedError } from '@nimbus/errors';
import { createHttpServer, keystoneFaults } from '@nimbus/http';
import { silentLogger } from '@nimbus/logging';
import { PolicyEnforcer, policyCheck } from '@nimbus/policy';
import type { FastifyInstance } from 'fastify';
import { extensionMigrations } from '../../../db/ext/extension-migrations';
import { createExtensionManagers, type ExtensionManagers } from '../../../manager/ext/extension-managers';
import { PasswordHasher } from '../../../password/password-hasher';
import { basePolicies } from '../../policy/base-policies';
import { extensionPolicies } from '../extension-policies';
import { extensionRoutes } from '../extension-routes';
import { FakeCoreAccess } from './fake-core-access';

/** The extension API over SQLite and a fake core, with tokens minted by `tokenFor`. */
export interface ExtTestServer {
  app: FastifyInstance;
  core: FakeCoreAccess;
  managers: ExtensionManagers;
  /** A token for the user, scoped to a project (or system when `system`), with the given extras. */
  tokenFor(
    userId: string,
    scope: {
      projectId?: string;
      system?: boolean;
      trustId?: string;
      appCred?: { id: string; restricted: boolean };
    },
  ): string;
  close(): Promise<void>;
}

/** Starts the extension routes in-process (no sockets) for tests. */
export async function startExtTestServer(): Promise<ExtTestServer> {
  const db = await openTestDatabase('sqlite', 'identity');
  await migrate(db, extensionMigrations);
  const core = new FakeCoreAccess();
  const managers = createExtensionManagers(core, {
    db,
    dataDir: mkdtempSync(join(tmpdir(), 'nimbus-ext-')),
    hasher: new PasswordHasher({ rounds: 4, maxLength: 4096 }),
  });
  const tokens = new Map<string, () => Promise<Credentials>>();
  const validator: TokenValidator = {
    async validate(token) {
      const make = tokens.get(token);
      if (!make) throw new UnauthorizedError();
      return make();
    },
  };
  const enforcer = new PolicyEnforcer({ defaults: [...basePolicies, ...extensionPolicies] });
  const app = createHttpServer({
    name: 'identity',
    routes: extensionRoutes,
    faults: keystoneFaults,
    tokenValidator: validator,
    policy: policyCheck(enforcer),
    services: { extensions: managers },
    logger: silentLogger(),
  });
  let n = 0;
  return {
    app,
    core,
    managers,
    tokenFor(userId, scope) {
      const token = `t${++n}`;
      tokens.set(token, async () => {
        const roleIds = scope.system
          ? await core.expandImpliedRoles(['admin'])
          : scope.projectId
            ? await core.effectiveRoleIds(userId, scope.projectId)
            : [];
        const creds: Credentials = {
          token,
          userId,
          userName: userId,
          userDomainId: 'default',
          userDomainName: 'Default',
          roles: roleIds.map((r) => core.roles.get(r)?.name ?? r),
          roleIds,
          isAdminProject: false,
          methods: scope.appCred ? ['application_credential'] : ['password'],
          auditIds: ['a'],
          issuedAt: new Date(),
          expiresAt: new Date(Date.now() + 3600_000),
        };
        if (scope.projectId) creds.projectId = scope.projectId;
        if (scope.system) creds.systemScope = 'all';
        if (scope.trustId)
          creds.trust = {
            id: scope.trustId,
            trustorUserId: userId,
            trusteeUserId: userId,
            impersonation: false,
          };
        if (scope.appCred)
          creds.applicationCredential = {
            id: scope.appCred.id,
            name: 'ac',
            restricted: scope.appCred.restricted,
          };
        return creds;
      });
      return token;
    },
    close: () => db.close(),
  };
}
