import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
const ex = promisify(execFile);
import { cloudClientEnv } from '@nimbus/testing';
import { computeCloud } from '../test/compute/compute-cloud';
const env = await computeCloud();
const e = cloudClientEnv(env.cloud);
const run = async (...a: string[]) => {
  const t = Date.now();
  try {
    const out = (await ex('openstack', a, { env: e, timeout: 30000 })).stdout;
    console.log('OK', a.join(' '), Date.now() - t, out.slice(0, 600));
  } catch (err: any) {
    console.log('FAIL', a.join(' '), Date.now() - t, String(err.stderr).slice(-1500));
  }
};
await run('flavor', 'create', '--ram', '256', '--vcpus', '1', '--disk', '1', 'cli.small', '-f', 'json');
await run('keypair', 'create', 'cli-key');
await run('keypair', 'show', 'cli-key', '-f', 'json');
await run('--debug', 'server', 'create', '--flavor', 'cli.small', '--image', env.imageId, '--network', 'private', '--key-name', 'cli-key', '--wait', 'cli-vm', '-f', 'json');
await env.cloud.stop();
