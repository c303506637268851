import { generateSample } from '@nimbus/config';
import { allOptionGroups } from '@nimbus/service';
import { Command } from 'commander';
import { serviceRegistry } from '../service-registry';

/** `nimbus config sample`: a commented configuration file generated from every declared option. */
export function configCommand(): Command {
  const config = new Command('config').description('Configuration tools');
  config
    .command('sample')
    .description('Print a commented sample nimbus.conf with every option, its type, bounds and default')
    .action(() => {
      process.stdout.write(generateSample(allOptionGroups(serviceRegistry)));
    });
  return config;
}
