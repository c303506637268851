// Runs some services of the all-in-one cloud on ephemeral ports and prints what `nimbus up`
// prints, so a benchmark can run beside a cloud holding the default ports (5000, 8080, 9292).
// Started by startNimbus(..., { services }) as `node --import tsx`, from sources (no bundle).
//   node --import tsx bench/support/nimbus-cloud.ts --data-dir D --services identity,object-store
//     [--config-file F] [--log-level L]
import { type ServiceDefinition, startCloud } from '@nimbus/service';

/** Services a benchmark may ask for, loaded only when asked (a service under edit stays out). */
const loaders: Record<string, () => Promise<ServiceDefinition>> = {
  identity: async () => (await import('@nimbus/identity')).identityService,
  'object-store': async () => (await import('@nimbus/object-storage')).objectStorageService,
  image: async () => (await import('@nimbus/image')).imageService,
};

const flag = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};

async function main() {
  const started = Date.now();
  const services = await Promise.all(
    (flag('--services') ?? 'identity').split(',').map((type) => {
      const load = loaders[type];
      if (!load) throw new Error(`unknown service ${type}`);
      return load();
    }),
  );
  const dataDir = flag('--data-dir');
  const logLevel = flag('--log-level');
  const cloud = await startCloud({
    services,
    configFile: flag('--config-file'),
    overrides: { DEFAULT: { ...(dataDir ? { data_dir: dataDir } : {}), ...(logLevel ? { log_level: logLevel } : {}) } },
    ephemeralPorts: true,
  });
  const lines = cloud.endpoints.map((e) => `  ${e.type.padEnd(16)} ${e.url}`);
  process.stdout.write(`Nimbus is up in ${Date.now() - started} ms (data in ${cloud.dataDir}).\n${lines.join('\n')}\n`);
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
