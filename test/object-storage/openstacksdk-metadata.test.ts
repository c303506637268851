import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { identityService } from '@nimbus/identity';
import { objectStorageService } from '@nimbus/object-storage';
import { startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = join(import.meta.dirname, 'sdk', 'sdk-metadata.py');

// openstacksdk finds Swift metadata by case-sensitive header prefixes (`X-Object-Meta-`), so it
// sees metadata only when the names come back spelled as Swift writes them.
describe('openstacksdk, swift and openstack CLIs see object storage metadata', () => {
  let cloud: TestCloud;
  let env: Record<string, string>;

  beforeAll(async () => {
    cloud = await startTestCloud([identityService, objectStorageService], {
      identity: { password_hash_rounds: 4 },
      object_storage: { part_power: 6 },
    });
    env = {
      ...process.env,
      OS_CLIENT_CONFIG_FILE: join(cloud.dataDir, 'clouds.yaml'),
      OS_CLOUD: 'nimbus',
    } as Record<string, string>;
    for (const line of readFileSync(join(cloud.dataDir, 'openrc'), 'utf8').split('\n')) {
      const m = /^export (\w+)='?([^']*)'?$/.exec(line);
      if (m && m[1] !== 'OS_CLOUD') env[m[1]!] = m[2]!;
    }
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('sets, reads, updates and deletes object, container and account metadata; create_object skips an unchanged file', async () => {
    const { stdout } = await run('/usr/bin/python3', [script], { env, timeout: 120_000 });
    const seen = JSON.parse(stdout) as Record<string, unknown>;
    expect(seen.object_after_set).toEqual({ k1: 'v1', color: 'blue' });
    expect(seen.object_after_update).toEqual({ k1: 'v2', color: 'blue' });
    expect(seen.object_after_delete).toEqual({ k1: 'v2' });
    expect(seen.container_after_set).toEqual({ owner: 'ops', tier: 'gold' });
    expect(seen.container_after_delete).toEqual({ owner: 'ops' });
    expect(seen.account_after_set).toEqual(expect.objectContaining({ team: 'blue' }));
    expect(seen.account_after_delete).not.toHaveProperty('team');
    expect(seen.stale_after_first_upload).toBe(false);
    expect(seen.stale_after_second_upload).toBe(false);
    expect(seen.second_upload_skipped).toBe(true);
    expect(seen.object_etag).toBe(seen.file_md5);
  }, 120_000);

  it('shows the metadata through `swift stat` and `openstack object show`', async () => {
    const swift = async (...args: string[]) => (await run('swift', args, { env, timeout: 60_000 })).stdout;
    await swift('post', 'cli', '-m', 'Purpose:demo');
    await run('bash', ['-c', 'printf data > "$0/cli.txt"', cloud.dataDir]);
    await run('swift', ['upload', 'cli', 'cli.txt'], { env, timeout: 60_000, cwd: cloud.dataDir });
    await swift('post', 'cli', 'cli.txt', '-m', 'Shade:dark');
    expect(await swift('stat', 'cli')).toMatch(/Meta Purpose: demo/);
    expect(await swift('stat', 'cli', 'cli.txt')).toMatch(/Meta Shade: dark/);
    const show = (
      await run('openstack', ['object', 'show', 'cli', 'cli.txt', '-f', 'json'], { env, timeout: 60_000 })
    ).stdout;
    expect(JSON.parse(show).properties).toEqual(expect.objectContaining({ Shade: 'dark' }));
  }, 120_000);
});
