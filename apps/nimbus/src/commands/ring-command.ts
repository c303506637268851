import { resolve } from 'node:path';
import { Config } from '@nimbus/config';
import { addDevice, clusterOptions, createRing, rebalanceRing, removeDevice, ringName, setWeight, showRing } from '@nimbus/object-storage';
import { allOptionGroups, defaultOptions } from '@nimbus/service';
import { Command } from 'commander';
import { serviceRegistry } from '../service-registry';
import { cloudOverrides, commonCloudOptions } from './cloud-flags';

/** The ring directory the configuration names: `[object_storage] ring_dir` or `<data_dir>/object-storage/rings`. */
function ringDir(flags: Record<string, string | undefined>): string {
  const config = Config.load({ groups: allOptionGroups(serviceRegistry), file: flags.configFile, env: process.env, overrides: cloudOverrides(flags) });
  const o = config.group(clusterOptions);
  return o.ring_dir ? resolve(o.ring_dir) : resolve(config.group(defaultOptions).data_dir, 'object-storage', 'rings');
}

function run(fn: () => string): void {
  try {
    process.stdout.write(`${fn()}\n`);
  } catch (err) {
    process.stderr.write(`nimbus ring: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

/** `nimbus ring ...`: build and inspect the account, container and object rings, as swift-ring-builder. */
export function ringCommand(): Command {
  const ring = new Command('ring').description('Object storage rings (swift-ring-builder)');
  const sub = (name: string) => commonCloudOptions(new Command(name));
  ring.addCommand(
    sub('create')
      .argument('<ring>', 'account, container or object')
      .argument('<part_power>', 'partitions are 2^part_power')
      .argument('<replicas>', 'copies of every partition')
      .argument('<min_part_hours>', 'hours before a partition may move again')
      .option('--force', 'replace an existing builder')
      .description('Start a new ring builder')
      .action((name, power, replicas, hours, flags) =>
        run(() => createRing(ringDir(flags), ringName(name), Number(power), Number(replicas), Number(hours), Boolean(flags.force))),
      ),
  );
  ring.addCommand(
    sub('add')
      .argument('<ring>')
      .argument('<device>', 'r<region>z<zone>-<ip>:<port>/<device>[_<meta>]')
      .argument('<weight>')
      .description('Add a device')
      .action((name, device, weight, flags) => run(() => addDevice(ringDir(flags), ringName(name), device, weight))),
  );
  ring.addCommand(
    sub('set-weight')
      .argument('<ring>')
      .argument('<id>')
      .argument('<weight>')
      .description("Change a device's weight")
      .action((name, id, weight, flags) => run(() => setWeight(ringDir(flags), ringName(name), Number(id), Number(weight)))),
  );
  ring.addCommand(
    sub('remove')
      .argument('<ring>')
      .argument('<id>')
      .description('Mark a device for removal at the next rebalance')
      .action((name, id, flags) => run(() => removeDevice(ringDir(flags), ringName(name), Number(id)))),
  );
  ring.addCommand(
    sub('rebalance')
      .argument('<ring>')
      .description('Reassign partitions and write the ring file (servers read it at start)')
      .action((name, flags) => run(() => rebalanceRing(ringDir(flags), ringName(name)))),
  );
  ring.addCommand(
    sub('show')
      .argument('<ring>')
      .description('Show the builder: partitions, replicas, balance and every device')
      .action((name, flags) => run(() => showRing(ringDir(flags), ringName(name)))),
  );
  return ring;
}
