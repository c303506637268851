import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const nimbus = fileURLToPath(new URL('../../../apps/nimbus/bin/nimbus.mjs', import.meta.url));

/**
 * Starts `nimbus serve <args>` in a child process with `config` written to
 * `<dataDir>/<name>.conf`; resolves once it says its roles are running, rejects (with its
 * output) if it exits first or is not up within `timeoutMs`. For the scale-out tests.
 */
export async function serveProcess(
  name: string,
  dataDir: string,
  config: string,
  args: string[],
  timeoutMs = 60_000,
): Promise<ChildProcess> {
  const file = join(dataDir, `${name}.conf`);
  writeFileSync(file, config);
  const child = spawn(process.execPath, [nimbus, 'serve', '--config-file', file, ...args], {
    env: { ...process.env, NIMBUS_NO_BUILD: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes(' running (')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}): ${output}`));
    });
  });
  return child;
}

/** Stops children with SIGTERM, then SIGKILL after `graceMs`. */
export async function stopProcesses(
  children: readonly (ChildProcess | undefined)[],
  graceMs = 5000,
): Promise<void> {
  for (const child of children) {
    if (!child || child.exitCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
