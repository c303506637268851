import { createBus } from '@nimbus/bus';
import { Config } from '@nimbus/config';
import { allOptionGroups, collectRoleStatus, defaultOptions, formatRoleStatus } from '@nimbus/service';
import { Command } from 'commander';
import { serviceRegistry } from '../service-registry';
import { cloudOverrides, commonCloudOptions } from './cloud-flags';

/** `nimbus status`: the role instances known to the bus, with their hosts and last heartbeat. */
export function statusCommand(): Command {
  return commonCloudOptions(new Command('status'))
    .option('--wait <seconds>', 'how long to collect heartbeats', '2')
    .option('--json', 'print the heartbeats as JSON')
    .description(
      'List the roles running on the message bus ([DEFAULT] transport_url): role, host, pid, start and last heartbeat.',
    )
    .action(async (flags) => {
      const config = Config.load({
        groups: allOptionGroups(serviceRegistry),
        file: flags.configFile,
        env: process.env,
        overrides: cloudOverrides(flags),
      });
      const url = config.group(defaultOptions).transport_url;
      if (url.startsWith('memory:')) {
        process.stderr.write(
          'nimbus status: [DEFAULT] transport_url is in-process (memory://), so no other process can be seen; point it at RabbitMQ (amqp://...).\n',
        );
        process.exitCode = 2;
        return;
      }
      const wait = Number(flags.wait);
      const bus = await createBus(url);
      try {
        const beats = await collectRoleStatus(bus, Number.isFinite(wait) && wait > 0 ? wait : 2);
        if (flags.json) process.stdout.write(`${JSON.stringify(beats, null, 2)}\n`);
        else
          process.stdout.write(
            beats.length ? `${formatRoleStatus(beats)}\n` : `No role answered on ${bus.url}.\n`,
          );
      } finally {
        await bus.close();
      }
    });
}
