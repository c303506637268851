import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { cloudClientEnv, openstack, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

// The real `openstack` CLI against identity and image in one test cloud.
describe('openstack CLI against image', () => {
  let cloud: TestCloud;
  let env: Record<string, string>;
  const os = (...args: string[]) => openstack(env, args);

  beforeAll(async () => {
    cloud = await startTestCloud([identityService, imageService], { identity: { password_hash_rounds: 4 } });
    env = cloudClientEnv(cloud);
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('uploads a qcow2, saves it back, sets properties, shares it and deletes it', async () => {
    const qcow2 = join(cloud.dataDir, 'disk.qcow2');
    await run('qemu-img', ['create', '-f', 'qcow2', qcow2, '16M']);
    const created = await os(
      'image',
      'create',
      '--file',
      qcow2,
      '--disk-format',
      'qcow2',
      '--container-format',
      'bare',
      '--shared',
      'cli-image',
      '-f',
      'json',
    );
    const shown = await os('image', 'show', created.id, '-f', 'json');
    expect(shown.status).toBe('active');
    expect(shown.virtual_size).toBe(16 * 1024 * 1024);
    expect(shown.checksum).toMatch(/^[0-9a-f]{32}$/);

    const saved = join(cloud.dataDir, 'saved.qcow2');
    await os('image', 'save', '--file', saved, created.id);
    expect(Buffer.compare(await readFile(saved), await readFile(qcow2))).toBe(0);

    await os('image', 'set', '--property', 'os_distro=debian', '--min-ram', '512', created.id);
    const updated = await os('image', 'show', created.id, '-f', 'json');
    expect(updated.min_ram).toBe(512);
    expect(updated.properties.os_distro).toBe('debian');

    // Share with another project; a user of that project accepts it and then sees it listed.
    const other = await os('project', 'create', 'cli-image-member', '-f', 'json');
    await os('user', 'create', '--project', other.id, '--password', 'Member-pass1', 'cli-image-user');
    await os('role', 'add', '--project', other.id, '--user', 'cli-image-user', 'member');
    await os('image', 'add', 'project', created.id, other.id);
    const asMember = (...args: string[]) =>
      run(
        'openstack',
        [
          '--os-username',
          'cli-image-user',
          '--os-password',
          'Member-pass1',
          '--os-project-id',
          other.id,
          ...args,
        ],
        { env, timeout: 60_000 },
      );
    const before = JSON.parse((await asMember('image', 'list', '-f', 'json')).stdout);
    expect(before.map((i: any) => i.ID)).not.toContain(created.id);
    await asMember('image', 'set', '--accept', created.id);
    const after = JSON.parse((await asMember('image', 'list', '-f', 'json')).stdout);
    expect(after.map((i: any) => i.ID)).toContain(created.id);
    const members = await os('image', 'member', 'list', created.id, '-f', 'json');
    expect(members.map((m: any) => [m['Member ID'], m.Status])).toEqual([[other.id, 'accepted']]);

    await os('image', 'delete', created.id);
    expect((await os('image', 'list', '-f', 'json')).map((i: any) => i.ID)).not.toContain(created.id);
  });

  it("uploads with openstacksdk's interoperable import (stage, then glance-direct)", async () => {
    const raw = join(cloud.dataDir, 'sdk.raw');
    writeFileSync(raw, Buffer.alloc(1 << 20, 7));
    const script = [
      'import json, sys, openstack',
      "conn = openstack.connect(cloud='nimbus')",
      "image = conn.image.create_image(name='sdk-import', filename=sys.argv[1], disk_format='raw',",
      "    container_format='bare', use_import=True)",
      "image = openstack.resource.wait_for_status(conn.image, image, 'active', ['killed'], 0.2, 60)",
      "print(json.dumps({'id': image.id, 'status': image.status, 'size': image.size}))",
    ].join('\n');
    const { stdout } = await run('/usr/bin/python3', ['-c', script, raw], { env, timeout: 90_000 });
    const made = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(made).toMatchObject({ status: 'active', size: 1 << 20 });
    const shown = await os('image', 'show', made.id, '-f', 'json');
    expect(shown.properties.os_glance_importing_to_stores).toBe('');
    const saved = join(cloud.dataDir, 'sdk.saved');
    await os('image', 'save', '--file', saved, made.id);
    expect(Buffer.compare(await readFile(saved), await readFile(raw))).toBe(0);
  });

  it('refuses a qcow2 uploaded as raw (the format inspector)', async () => {
    const qcow2 = join(cloud.dataDir, 'sneaky.img');
    await run('qemu-img', ['create', '-f', 'qcow2', qcow2, '8M']);
    const err = await os(
      'image',
      'create',
      '--file',
      qcow2,
      '--disk-format',
      'raw',
      '--container-format',
      'bare',
      'sneaky',
    ).catch((e: Error) => e);
    expect(String(err)).toContain('format inspector');
    writeFileSync(join(cloud.dataDir, 'plain.raw'), Buffer.alloc(4096, 7));
    const ok = await os(
      'image',
      'create',
      '--file',
      join(cloud.dataDir, 'plain.raw'),
      '--disk-format',
      'raw',
      '--container-format',
      'bare',
      'plain',
      '-f',
      'json',
    );
    expect((await os('image', 'show', ok.id, '-f', 'json')).virtual_size).toBe(4096);
  });
}, 300_000);
