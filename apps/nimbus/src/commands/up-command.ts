import { startCloud } from '@nimbus/service';
import { Command } from 'commander';
import { serviceRegistry } from '../service-registry';
import { cloudOverrides, commonCloudOptions } from './cloud-flags';
import { runUntilSignal } from './run-until-signal';

/** `nimbus up`: every role of every registered service in this one process. */
export function upCommand(): Command {
  return commonCloudOptions(new Command('up'))
    .description(
      'Run the whole cloud in this process: every role of every service (APIs, servers, workers), SQLite and an in-process bus by default.',
    )
    .action(async (flags) => {
      const started = Date.now();
      const cloud = await startCloud({
        services: serviceRegistry,
        configFile: flags.configFile,
        overrides: cloudOverrides(flags),
      });
      cloud.logger.info(
        { ms: Date.now() - started, dataDir: cloud.dataDir, roles: cloud.roles.length },
        'cloud is up',
      );
      const lines = cloud.endpoints.map((e) => `  ${e.type.padEnd(16)} ${e.url}`);
      process.stdout.write(
        `Nimbus is up in ${Date.now() - started} ms (data in ${cloud.dataDir}).\n${lines.length ? lines.join('\n') : '  (no services registered yet)'}\n`,
      );
      await runUntilSignal(cloud);
    });
}
