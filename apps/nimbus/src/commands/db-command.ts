import { resolve } from 'node:path';
import { Config } from '@nimbus/config';
import { migrate, openDatabase } from '@nimbus/db';
import { allOptionGroups, databaseUrl, defaultOptions } from '@nimbus/service';
import { Command } from 'commander';
import { serviceRegistry } from '../service-registry';
import { cloudOverrides, commonCloudOptions } from './cloud-flags';

/** `nimbus db migrate`: bring every service's schema (or one's) up to date. */
export function dbCommand(): Command {
  const db = new Command('db').description('Database tools');
  commonCloudOptions(db.command('migrate'))
    .option('--service <name>', 'only this service (e.g. keystone)')
    .description("Apply pending migrations to each service's database")
    .action(async (flags) => {
      const config = Config.load({
        groups: allOptionGroups(serviceRegistry),
        file: flags.configFile,
        env: process.env,
        overrides: cloudOverrides(flags),
      });
      const dataDir = resolve(config.group(defaultOptions).data_dir);
      for (const def of serviceRegistry) {
        if (flags.service && flags.service !== def.name && flags.service !== def.type) continue;
        const handle = await openDatabase({ url: databaseUrl(config, dataDir, def.name), service: def.name });
        try {
          await migrate(handle, def.migrations);
          process.stdout.write(`${def.name}: up to date (${def.migrations.length} migrations)\n`);
        } finally {
          await handle.close();
        }
      }
    });
  return db;
}
