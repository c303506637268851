import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestCloud } from './start-test-cloud';

const run = promisify(execFile);

/** The environment the real clients (`openstack`, openstacksdk) need to reach a test cloud as its admin. */
export function cloudClientEnv(cloud: TestCloud): Record<string, string> {
  return {
    ...process.env,
    OS_CLIENT_CONFIG_FILE: join(cloud.dataDir, 'clouds.yaml'),
    OS_CLOUD: 'nimbus',
  } as Record<string, string>;
}

/**
 * Runs the real `openstack` CLI with `env` (see `cloudClientEnv`); output in JSON (`-f json`)
 * comes back parsed, any other output as text. Fails when the command exits non-zero.
 */
export async function openstack(env: Record<string, string>, args: readonly string[]): Promise<any> {
  const { stdout } = await run('openstack', [...args], { env, timeout: 60_000 });
  const text = stdout.trim();
  return text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : stdout;
}
