import { expandHosts, listRoles, startCloud, UnknownRoleError } from '@nimbus/service';
import { Command } from 'commander';
import { serviceRegistry } from '../service-registry';
import { cloudOverrides, commonCloudOptions } from './cloud-flags';
import { remoteTokenValidator } from './remote-token-validator';
import { formatRoleList } from './role-list';
import { runUntilSignal } from './run-until-signal';

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `nimbus serve <role>...`: some roles of the cloud in this process, for scale-out over RabbitMQ
 * and PostgreSQL/MariaDB (`compute-agent --host node[1-1000]` runs a thousand simulated hosts);
 * `nimbus serve --list` prints every role.
 */
export function serveCommand(): Command {
  return commonCloudOptions(new Command('serve'))
    .argument(
      '[roles...]',
      'roles to run: ids as `nimbus serve --list` prints them (identity-api, object-storage-object-replicator), or a role name only one service has (object-replicator)',
    )
    .option('--role <id>', 'a role to run (repeatable; same as an argument)', collect, [])
    .option(
      '--host <name>',
      'host name of per-host roles, or a range such as node[1-1000] (repeatable; default [DEFAULT] host)',
      collect,
      [],
    )
    .option('--list', 'print every role with a line of description, and exit')
    .description(
      'Run some roles of the cloud in this process (scale-out). Set [DEFAULT] transport_url and [database] connection to share them.',
    )
    .action(async (args: string[], flags) => {
      if (flags.list) {
        process.stdout.write(`${formatRoleList(listRoles(serviceRegistry))}\n`);
        return;
      }
      const roles = [...args, ...(flags.role as string[])];
      if (!roles.length) {
        process.stderr.write('nimbus serve: name at least one role (nimbus serve --list prints them)\n');
        process.exitCode = 2;
        return;
      }
      let cloud: Awaited<ReturnType<typeof startCloud>>;
      try {
        cloud = await startCloud({
          services: serviceRegistry,
          roles,
          hosts: expandHosts(flags.host as string[]),
          configFile: flags.configFile,
          overrides: cloudOverrides(flags),
          remoteTokenValidator,
        });
      } catch (err) {
        if (!(err instanceof UnknownRoleError)) throw err;
        process.stderr.write(`nimbus serve: ${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      const ids = [...new Set(cloud.roles.map((r) => r.id))];
      const urls = cloud.roles.filter((r) => r.url).map((r) => `${r.id} ${r.url}`);
      const hosts = new Set(cloud.roles.map((r) => r.host));
      process.stdout.write(
        `${ids.join(', ')} running (${cloud.roles.length} instance${cloud.roles.length === 1 ? '' : 's'} on ${hosts.size} host${hosts.size === 1 ? '' : 's'})${urls.length ? `; listening: ${urls.join(', ')}` : ''}\n`,
      );
      await runUntilSignal(cloud);
    });
}
