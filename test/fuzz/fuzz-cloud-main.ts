// The cloud under fuzzing, in a process of its own so that a crash is seen rather than shared:
//   node --import tsx test/fuzz/fuzz-cloud-main.ts --data-dir D
// Prints `Nimbus is up` and one `  <type> <url>` line per endpoint, as `nimbus up` does.
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { networkService } from '@nimbus/network';
import { objectStorageService } from '@nimbus/object-storage';
import { placementService } from '@nimbus/placement';
import { startCloud } from '@nimbus/service';

const flag = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};

async function main() {
  const cloud = await startCloud({
    services: [identityService, imageService, objectStorageService, placementService, networkService],
    ephemeralPorts: true,
    env: {},
    overrides: {
      DEFAULT: {
        data_dir: flag('--data-dir'),
        log_level: flag('--log-level') ?? 'error',
        log_format: 'json',
      },
      // Garbage creates users by the thousand: bcrypt's default cost would make them the slowest route.
      identity: { password_hash_rounds: 4 },
      // Bounds what the fuzzer can make the cloud store; writes are not fsynced (durability is tested elsewhere).
      image: { image_size_cap: 1_048_576 },
      object_storage: { part_power: 6, fsync: false, max_file_size: 4_194_304 },
    },
  });
  const lines = cloud.endpoints.map((e) => `  ${e.type.padEnd(16)} ${e.url}`);
  process.stdout.write(`Nimbus is up (data in ${cloud.dataDir}).\n${lines.join('\n')}\n`);
  const keepAlive = setInterval(() => {}, 1 << 30);
  const stop = () => {
    clearInterval(keepAlive);
    cloud.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
