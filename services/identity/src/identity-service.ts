import { keystoneFaults } from '@nimbus/http';
import { defaultOptions, defineService } from '@nimbus/service';
import { invalidatingWrites } from './api/invalidating-writes';
import { identityRoutes } from './api/routes';
import { identityPolicyCheck } from './api/policy/identity-policy-check';
import { identityOptionGroups, identityOptions } from './conf/options';
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
  type: 'identity',
  name: 'keystone',
  port: 5000,
  catalogPath: '/v3',
  options: identityOptionGroups,
  migrations: [...identityMigrations, ...extensionMigrations],
  async start(ctx) {
    const core = buildIdentityCore({
      config: ctx.config,
      db: ctx.db,
      dataDir: ctx.dataDir,
      logger: ctx.logger,
    });
    await core.revocations.refresh();
    const refresh = setInterval(() => {
      core.revocations.refresh().catch((err) => ctx.logger.warn({ err }, 'could not read revocation events'));
    }, core.refreshSeconds * 1000);
    refresh.unref();
    const prune = setInterval(() => {
      core.revocations.prune().catch((err) => ctx.logger.warn({ err }, 'could not prune revocation events'));
    }, 3_600_000);
    prune.unref();
    return {
      http: {
        routes: invalidatingWrites(identityRoutes, () => core.revocations.invalidateCaches()),
        faults: keystoneFaults,
        policy: identityPolicyCheck(core.enforcer),
        services: core.services,
        tokenValidator: core.validator,
      },
      tokenValidator: core.validator,
      async cloudReady(endpoints) {
        const usage = await bootstrapCloud(managerBootstrapPort(core.services), {
          dataDir: ctx.dataDir,
          regionId: ctx.config.group(defaultOptions).region_name,
          configuredAdminPassword: ctx.config.group(identityOptions).admin_password,
          endpoints,
        });
        ctx.logger.info(usage);
      },
      async stop() {
        clearInterval(refresh);
        clearInterval(prune);
      },
    };
  },
});
