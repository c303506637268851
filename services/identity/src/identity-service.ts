import { keystoneFaults } from '@nimbus/http';
import { defaultOptions, defineService } from '@nimbus/service';
import { invalidatingWrites } from './api/invalidating-writes';
import { identityRoutes } from './api/routes';
import { keystoneHeaderSpelling } from './api/keystone-header-spelling';
import { identityPolicyCheck } from './api/policy/identity-policy-check';
import { identityOptionGroups, identityOptions, tokenOptions } from './conf/options';
import { extensionMigrations } from './db/ext/extension-migrations';
import { identityMigrations } from './db/migrations/index';
import { buildIdentityCore } from './identity-core';
import { bootstrapCloud } from './manager/bootstrap/cloud-bootstrap';
import { managerBootstrapPort } from './manager/bootstrap/manager-bootstrap-port';

/**
 * Identity (Keystone v3): tokens, resources, assignments, the catalog and the extensions. It
 * validates tokens for every service of its process, and on `cloudReady` bootstraps the admin,
 * the service users and a catalog entry for every running API.
 */
export const identityService = defineService({
  id: 'identity',
  type: 'identity',
  name: 'keystone',
  options: identityOptionGroups,
  migrations: [...identityMigrations, ...extensionMigrations],
  roles: [
    {
      name: 'api',
      description: 'The Keystone v3 API (keystone-wsgi-public): tokens, resources, assignments, catalog.',
      http: { port: 5000, catalogPath: '/v3' },
      periodic: [
        // A fixed pace: the refresh interval is how long a revocation may take to reach this process.
        {
          name: 'revocation-refresh',
          intervalSeconds: (config) => config.group(tokenOptions).revocation_refresh_seconds,
          jitter: 0,
          maxBackoffSeconds: 60,
        },
        { name: 'revocation-prune', intervalSeconds: 3600 },
      ],
      async start(ctx) {
        const core = buildIdentityCore({
          config: ctx.config,
          db: ctx.db,
          dataDir: ctx.dataDir,
          logger: ctx.logger,
        });
        await core.revocations.refresh();
        return {
          http: {
            routes: invalidatingWrites(identityRoutes, () => core.revocations.invalidateCaches()),
            faults: keystoneFaults,
            headerSpelling: keystoneHeaderSpelling,
            policy: identityPolicyCheck(core.enforcer),
            services: core.services,
            tokenValidator: core.validator,
          },
          tokenValidator: core.validator,
          periodic: {
            'revocation-refresh': () => core.revocations.refresh(),
            'revocation-prune': () => core.revocations.prune(),
          },
          async cloudReady(endpoints) {
            const usage = await bootstrapCloud(managerBootstrapPort(core.services), {
              dataDir: ctx.dataDir,
              regionId: ctx.config.group(defaultOptions).region_name,
              configuredAdminPassword: ctx.config.group(identityOptions).admin_password,
              endpoints,
            });
            ctx.logger.info(usage);
          },
        };
      },
    },
  ],
});
