import { execFile } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { blockStorageService } from '@nimbus/block-storage';
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { objectStorageService } from '@nimbus/object-storage';
import { cloudClientEnv, openstack, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

// The real `openstack` CLI against identity, image, object storage and block storage with the
// `file` backend and backups to object storage.
describe('openstack CLI against block storage', () => {
  let cloud: TestCloud;
  let env: Record<string, string>;
  const os = (...args: string[]) => openstack(env, args);

  beforeAll(async () => {
    cloud = await startTestCloud([identityService, imageService, objectStorageService, blockStorageService], {
      identity: { password_hash_rounds: 4 },
      block_storage: { enabled_backends: ['file'], backup_driver: 'object-store', pool_report_interval: 1 },
    });
    env = cloudClientEnv(cloud);
  }, 60_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  const waitFor = async (kind: string, id: string, status: string) => {
    for (let i = 0; i < 600; i++) {
      const shown = await os(kind, 'show', id, '-f', 'json');
      if (shown.status === status) return shown;
      if (String(shown.status).startsWith('error'))
        throw new Error(`${kind} ${id} went ${shown.status}: ${shown.fail_reason ?? ''}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${kind} ${id} never became ${status}`);
  };

  /** The file backend's file of a volume. */
  const volumeFile = (id: string): string => {
    const base = join(cloud.dataDir, 'block-storage');
    const walk = (dir: string): string | undefined => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          const hit = walk(p);
          if (hit) return hit;
        } else if (e.name.startsWith(`volume-${id}`)) return p;
      }
      return undefined;
    };
    const hit = walk(base);
    if (!hit) throw new Error(`no file for volume ${id}`);
    return hit;
  };

  it('creates types, QoS, volumes (empty, from image, from snapshot), extends and transfers', async () => {
    const type = await os(
      'volume',
      'type',
      'create',
      'cli-type',
      '--property',
      'volume_backend_name=file',
      '-f',
      'json',
    );
    expect(type.name).toBe('cli-type');
    const qos = await os(
      'volume',
      'qos',
      'create',
      '--consumer',
      'back-end',
      '--property',
      'total_iops_sec=100',
      'cli-qos',
      '-f',
      'json',
    );
    expect(qos.consumer).toBe('back-end');
    await os('volume', 'qos', 'associate', 'cli-qos', 'cli-type');

    const empty = await os(
      'volume',
      'create',
      '--size',
      '1',
      '--type',
      'cli-type',
      'cli-empty',
      '-f',
      'json',
    );
    await waitFor('volume', empty.id, 'available');

    const raw = join(cloud.dataDir, 'cli-image.raw');
    writeFileSync(raw, Buffer.alloc(1024 * 1024, 7));
    const image = await os(
      'image',
      'create',
      '--disk-format',
      'raw',
      '--container-format',
      'bare',
      '--file',
      raw,
      // Volumes made from this image without a type of their own get this one (Cinder's rule).
      '--property',
      'cinder_img_volume_type=cli-type',
      'cli-image',
      '-f',
      'json',
    );
    const fromImage = await os(
      'volume',
      'create',
      '--size',
      '1',
      '--image',
      image.id,
      'cli-from-image',
      '-f',
      'json',
    );
    const shown = await waitFor('volume', fromImage.id, 'available');
    expect(shown.bootable).toBe('true');
    expect(shown.type).toBe('cli-type');

    const snap = await os('volume', 'snapshot', 'create', '--volume', 'cli-empty', 'cli-snap', '-f', 'json');
    await waitFor('volume snapshot', snap.id, 'available');
    const fromSnap = await os(
      'volume',
      'create',
      '--snapshot',
      'cli-snap',
      '--size',
      '1',
      'cli-from-snap',
      '-f',
      'json',
    );
    await waitFor('volume', fromSnap.id, 'available');

    await os('volume', 'set', '--size', '2', 'cli-from-snap');
    for (let i = 0; i < 100; i++) {
      if ((await os('volume', 'show', 'cli-from-snap', '-f', 'json')).size === 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await os('volume', 'show', 'cli-from-snap', '-f', 'json')).size).toBe(2);

    const offer = await os('volume', 'transfer', 'request', 'create', 'cli-from-image', '-f', 'json');
    expect(offer.auth_key).toMatch(/^[0-9a-f]{16}$/);
    const accepted = await os(
      'volume',
      'transfer',
      'request',
      'accept',
      '--auth-key',
      offer.auth_key,
      offer.id,
      '-f',
      'json',
    );
    expect(accepted.volume_id).toBe(fromImage.id);
  }, 600_000);

  it('backs a volume up to object storage and restores it byte for byte', async () => {
    const v = await os('volume', 'create', '--size', '1', 'cli-backup-src', '-f', 'json');
    await waitFor('volume', v.id, 'available');
    // Put recognisable bytes into the volume's file through qemu-io-free means: write the raw file.
    const path = volumeFile(v.id);
    const fd = await import('node:fs/promises').then((m) => m.open(path, 'r+'));
    await fd.write(Buffer.alloc(4 * 1024 * 1024, 0xab), 0, 4 * 1024 * 1024, 10 * 1024 * 1024);
    await fd.close();
    const b = await os('volume', 'backup', 'create', '--name', 'cli-backup', 'cli-backup-src', '-f', 'json');
    await waitFor('volume backup', b.id, 'available');
    const target = await os('volume', 'create', '--size', '1', 'cli-restore-target', '-f', 'json');
    await waitFor('volume', target.id, 'available');
    // This python-openstackclient sends the restore, then fails to print cinderclient's answer
    // ("cannot unpack non-iterable VolumeBackupsRestore object"): a client-side bug after the
    // API accepted the request, so that one message is tolerated and the bytes are checked below.
    await os('volume', 'backup', 'restore', '--force', b.id, target.id).catch((err: { stderr?: string }) => {
      if (!String(err.stderr).includes('cannot unpack non-iterable VolumeBackupsRestore')) throw err;
    });
    await waitFor('volume', target.id, 'available');
    const { stdout } = await run('qemu-img', [
      'compare',
      '-f',
      'raw',
      '-F',
      'raw',
      path,
      volumeFile(target.id),
    ]);
    expect(stdout).toContain('Images are identical');
  }, 600_000);
});
