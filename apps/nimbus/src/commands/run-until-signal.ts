import type { RunningCloud } from '@nimbus/service';

/**
 * Keeps the process serving until SIGINT or SIGTERM, then stops every service cleanly (helper
 * processes included). A second signal exits at once.
 */
export function runUntilSignal(cloud: RunningCloud): Promise<void> {
  return new Promise((resolve) => {
    // Keeps even an empty cloud alive until a signal, like any server.
    const keepAlive = setInterval(() => {}, 1 << 30);
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(130);
      stopping = true;
      cloud.logger.info({ signal }, 'shutting down');
      clearInterval(keepAlive);
      cloud.stop().then(
        () => {
          process.stdout.write('Nimbus stopped.\n');
          resolve();
        },
        (err) => {
          process.stderr.write(`error while stopping: ${(err as Error).message}\n`);
          process.exitCode = 1;
          resolve();
        },
      );
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}
