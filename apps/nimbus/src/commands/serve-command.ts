import { startCloud } from '@nimbus/service';
import { Command } from 'commander';
import { serviceRegistry } from '../service-registry';
import { cloudOverrides, commonCloudOptions } from './cloud-flags';
import { remoteTokenValidator } from './remote-token-validator';
import { runUntilSignal } from './run-until-signal';

/** `nimbus serve <role>`: one role of one service, for scale-out over RabbitMQ and PostgreSQL/MariaDB. */
export function serveCommand(): Command {
  const roles = serviceRegistry.map((s) => `${s.type}-api`);
  return commonCloudOptions(new Command('serve'))
    .argument('<role>', `the role to run: ${roles.join(', ') || '(none registered yet)'}`)
    .description(
      'Run one role of the cloud in this process (scale-out). Set [DEFAULT] transport_url and [database] connection to share them.',
    )
    .action(async (role: string, flags) => {
      const service = serviceRegistry.find((s) => `${s.type}-api` === role);
      if (!service) {
        process.stderr.write(
          `nimbus serve: unknown role '${role}'. Roles: ${roles.join(', ') || '(none)'}\n`,
        );
        process.exitCode = 2;
        return;
      }
      const cloud = await startCloud({
        services: [service],
        configFile: flags.configFile,
        overrides: cloudOverrides(flags),
        remoteTokenValidator,
      });
      process.stdout.write(`${role} listening on ${cloud.endpoints.map((e) => e.url).join(', ')}\n`);
      await runUntilSignal(cloud);
    });
}
