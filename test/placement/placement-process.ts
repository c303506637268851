/**
 * One placement-api process for the scale-out tests: `tsx placement-process.ts <database-url> <data-dir>`
 * serves Placement (noauth2) on an ephemeral port over the given database, prints `url <base>`
 * once listening, and stops on SIGTERM.
 */
import { silentLogger } from '@nimbus/logging';
import { placementService } from '@nimbus/placement';
import { startCloud } from '@nimbus/service';

const [connection = '', dataDir = ''] = process.argv.slice(2);
const cloud = await startCloud({
  services: [placementService],
  roles: ['placement-api'],
  ephemeralPorts: true,
  env: {},
  logger: silentLogger(),
  overrides: { DEFAULT: { data_dir: dataDir }, database: { connection }, api: { auth_strategy: 'noauth2' } },
});
process.stdout.write(`url ${cloud.endpoints.find((e) => e.type === 'placement')!.url}\n`);
process.on('SIGTERM', () => {
  void cloud.stop().finally(() => process.exit(0));
});
