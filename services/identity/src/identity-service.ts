import { messagingDefaultOptions, notificationOptions, notifierOptionsFromConfig } from '@nimbus/bus';
import { keystoneFaults } from '@nimbus/http';
import { defaultOptions, defineService, type RoleContext } from '@nimbus/service';
import { auditedWrites } from './api/audited-writes';
import { invalidatingWrites } from './api/invalidating-writes';
import { identityRoutes } from './api/routes';
import { keystoneHeaderSpelling } from './api/keystone-header-spelling';
import { notificationFormatOptions } from './conf/notification-options';
import { identityOptionGroups, identityOptions, tokenOptions } from './conf/options';
import { extensionMigrations } from './db/ext/extension-migrations';
import { identityMigrations } from './db/migrations/index';
import { buildIdentityCore, type IdentityCore } from './identity-core';
import { bootstrapCloud } from './manager/bootstrap/cloud-bootstrap';
import { managerBootstrapPort } from './manager/bootstrap/manager-bootstrap-port';
import { IdentityNotifier, type NotificationFormat } from './manager/notification/identity-notifier';

/**
 * Keystone's notifier: publisher `identity.<host>` on the `keystone` control exchange (or
 * `[DEFAULT] control_exchange`), in `[DEFAULT] notification_format`.
 */
function identityNotifier(ctx: RoleContext, core: IdentityCore): IdentityNotifier {
  const o = ctx.config.group(notificationFormatOptions);
  const notifier = ctx.bus.notifier(
    `identity.${ctx.host}`,
    notifierOptionsFromConfig(
      ctx.config.group(notificationOptions),
      ctx.config.group(messagingDefaultOptions).control_exchange,
      'keystone',
    ),
  );
  const { users, catalog } = core.services;
  return new IdentityNotifier(
    notifier,
    // The option's choices are exactly NotificationFormat's members.
    { format: o.notification_format as NotificationFormat, optOut: o.notification_opt_out },
    {
      userName: async (id) => (await users.find(id))?.name,
      identityServiceId: async () => (await catalog.listServices({ type: 'identity' }))[0]?.id,
    },
    ctx.logger,
  );
}

/**
 * Identity (Keystone v3): tokens, resources, assignments, the catalog and the extensions. It
 * validates tokens for every service of its process, and on `cloudReady` bootstraps the admin,
 * the service users and a catalog entry for every running API.
 */
export const identityService = defineService({
  id: 'identity',
  type: 'identity',
  name: 'keystone',
  options: [...identityOptionGroups, notificationFormatOptions],
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
        const notifications = identityNotifier(ctx, core);
        return {
          http: {
            routes: invalidatingWrites(auditedWrites(identityRoutes, notifications), () =>
              core.revocations.invalidateCaches(),
            ),
            faults: keystoneFaults,
            headerSpelling: keystoneHeaderSpelling,
            policy: core.policy,
            services: core.services,
            tokenValidator: core.validator,
          },
          tokenValidator: core.validator,
          periodic: {
            'revocation-refresh': () => core.revocations.refresh(),
            'revocation-prune': () => core.revocations.prune(),
          },
          async stop() {
            core.policy.close();
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
