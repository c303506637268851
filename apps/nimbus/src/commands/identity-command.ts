import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Config } from '@nimbus/config';
import { migrate, openDatabase } from '@nimbus/db';
import {
  bootstrapCloud,
  buildIdentityCore,
  fernetCommands,
  fernetOptions,
  identityOptions,
  identityService,
  managerBootstrapPort,
} from '@nimbus/identity';
import { createLogger } from '@nimbus/logging';
import { allOptionGroups, databaseUrl, defaultOptions } from '@nimbus/service';
import { Command } from 'commander';
import { serviceRegistry } from '../service-registry';
import { cloudOverrides, commonCloudOptions } from './cloud-flags';

function loadConfig(flags: Record<string, string | undefined>): Config {
  return Config.load({
    groups: allOptionGroups(serviceRegistry),
    file: flags.configFile,
    env: process.env,
    overrides: cloudOverrides(flags),
  });
}

/** `nimbus identity ...`: key repositories and bootstrap, as keystone-manage offers them. */
export function identityCommand(): Command {
  const identity = new Command('identity').description('Identity tools (keystone-manage)');
  for (const c of fernetCommands((flags) => {
    const config = loadConfig(flags);
    const f = config.group(fernetOptions);
    return {
      dataDir: resolve(config.group(defaultOptions).data_dir),
      keyRepository: f.key_repository,
      maxActiveKeys: f.max_active_keys,
    };
  }, commonCloudOptions)) {
    identity.addCommand(c);
  }
  identity.addCommand(
    commonCloudOptions(new Command('bootstrap'))
      .description(
        'Create the admin user and project, the default roles, the service users and the catalog of every registered service (idempotent)',
      )
      .action(async (flags) => {
        const config = loadConfig(flags);
        const defaults = config.group(defaultOptions);
        const dataDir = resolve(defaults.data_dir);
        mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        const logger = createLogger({ level: defaults.log_level });
        const db = await openDatabase({
          url: databaseUrl(config, dataDir, identityService.name),
          service: identityService.name,
        });
        try {
          await migrate(db, identityService.migrations);
          const core = buildIdentityCore({ config, db, dataDir, logger });
          const host =
            defaults.public_host || (defaults.bind_host === '0.0.0.0' ? '127.0.0.1' : defaults.bind_host);
          const endpoints = serviceRegistry.map((s) => ({
            type: s.type,
            name: s.name,
            catalogUrl: `http://${host}:${s.port}${s.catalogPath}`,
          }));
          const usage = await bootstrapCloud(managerBootstrapPort(core.services), {
            dataDir,
            regionId: defaults.region_name,
            configuredAdminPassword: config.group(identityOptions).admin_password,
            endpoints,
          });
          process.stdout.write(`${usage}\n`);
        } finally {
          await db.close();
        }
      }),
  );
  return identity;
}
