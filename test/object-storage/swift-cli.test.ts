import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { identityService } from '@nimbus/identity';
import { objectStorageService } from '@nimbus/object-storage';
import { startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

// The real `swift` CLI (python-swiftclient) and `openstack object` against identity and object storage.
describe('swift CLI against object storage', () => {
  let cloud: TestCloud;
  let env: Record<string, string>;
  const swift = async (...args: string[]) =>
    (await run('swift', args, { env, timeout: 120_000, cwd: cloud.dataDir })).stdout;

  beforeAll(async () => {
    cloud = await startTestCloud([identityService, objectStorageService], {
      identity: { password_hash_rounds: 4 },
      object_storage: { part_power: 6 },
    });
    env = { ...process.env } as Record<string, string>;
    for (const line of readFileSync(join(cloud.dataDir, 'openrc'), 'utf8').split('\n')) {
      const m = /^export (\w+)='?([^']*)'?$/.exec(line);
      if (m) env[m[1]!] = m[2]!;
    }
    env.OS_CLIENT_CONFIG_FILE = join(cloud.dataDir, 'clouds.yaml');
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('uploads, lists, stats, posts metadata, downloads byte-identical and deletes', async () => {
    const file = join(cloud.dataDir, 'hello.bin');
    const data = randomBytes(100_000);
    writeFileSync(file, data);
    await swift('upload', 'photos', 'hello.bin', '--object-name', 'dir/hello.bin');
    expect(await swift('list', 'photos')).toBe('dir/hello.bin\n');
    expect(await swift('list', 'photos', '--delimiter', '/')).toBe('dir/\n');
    await swift('post', 'photos', 'dir/hello.bin', '-m', 'Color:blue');
    const stat = await swift('stat', 'photos', 'dir/hello.bin');
    expect(stat).toMatch(/Meta Color: blue/);
    expect(stat).toMatch(/Content Length: 100000/);
    await swift('download', 'photos', 'dir/hello.bin', '-o', 'back.bin');
    expect(readFileSync(join(cloud.dataDir, 'back.bin')).equals(data)).toBe(true);
    const account = await swift('stat');
    expect(account).toMatch(/Containers: 1/);
    expect(account).toMatch(/Objects: 1/);
    await swift('delete', 'photos', 'dir/hello.bin');
    expect(await swift('list', 'photos')).toBe('');
    await swift('delete', 'photos');
    expect(await swift('list')).toBe('');
  });

  it('uploads in segments, as a dynamic and as a static large object, and reads them back whole', async () => {
    const file = join(cloud.dataDir, 'big.bin');
    const data = randomBytes(300_000);
    writeFileSync(file, data);
    await swift('upload', 'seg', 'big.bin', '--segment-size', '65536');
    await swift(
      'upload',
      'seg',
      'big.bin',
      '--object-name',
      'slo.bin',
      '--segment-size',
      '65536',
      '--use-slo',
    );
    const segments = (await swift('list', 'seg_segments')).trim().split('\n');
    expect(segments.length).toBe(10);
    expect(await swift('stat', 'seg', 'big.bin')).toMatch(/Manifest: seg_segments\//);
    expect(await swift('stat', 'seg', 'slo.bin')).toMatch(/Content Length: 300000/);
    for (const name of ['big.bin', 'slo.bin']) {
      await swift('download', 'seg', name, '-o', `${name}.back`);
      expect(readFileSync(join(cloud.dataDir, `${name}.back`)).equals(data)).toBe(true);
    }
    await swift('delete', 'seg', 'slo.bin');
    expect((await swift('list', 'seg_segments')).trim().split('\n').length).toBe(5);
  });

  it('signs a TempURL that works without a token, and refuses a forged one', async () => {
    await swift('post', '-m', 'Temp-URL-Key:secret');
    writeFileSync(join(cloud.dataDir, 'note.txt'), 'shared by URL');
    await swift('upload', 'share', 'note.txt');
    const storage = (await swift('auth')).match(/OS_STORAGE_URL=(\S+)/)![1]!;
    const path = `${new URL(storage).pathname}/share/note.txt`;
    const signed = (await swift('tempurl', 'GET', '600', path, 'secret')).trim();
    const base = new URL(storage).origin;
    const ok = await fetch(`${base}${signed}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('shared by URL');
    expect(ok.headers.get('content-disposition')).toContain('note.txt');
    const forged = signed.replace(/temp_url_sig=[0-9a-f]/, (m) =>
      m.endsWith('0') ? `${m.slice(0, -1)}1` : `${m.slice(0, -1)}0`,
    );
    expect((await fetch(`${base}${forged}`)).status).toBe(401);
    const put = await fetch(`${base}${signed}`, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(401);
  });

  it('is driven by openstack object and container commands', async () => {
    const os = async (...args: string[]) =>
      (
        await run('openstack', ['--os-cloud', 'nimbus', ...args], {
          env,
          timeout: 60_000,
          cwd: cloud.dataDir,
        })
      ).stdout;
    await os('container', 'create', 'osc');
    writeFileSync(join(cloud.dataDir, 'osc.txt'), 'from openstackclient');
    await os('object', 'create', 'osc', 'osc.txt');
    const listed = JSON.parse(await os('object', 'list', 'osc', '-f', 'json')) as { Name: string }[];
    expect(listed.map((o) => o.Name)).toEqual(['osc.txt']);
    const shown = JSON.parse(await os('object', 'show', 'osc', 'osc.txt', '-f', 'json')) as Record<
      string,
      string
    >;
    expect(String(shown['content-length'])).toBe('20');
    await os('object', 'delete', 'osc', 'osc.txt');
    await os('container', 'delete', 'osc');
  });
}, 300_000);
