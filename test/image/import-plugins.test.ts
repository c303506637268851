import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Import plugins on real images made by qemu-img: decompression (gzip, zip), conversion to raw
// with the safety checks before and after qemu-img reads the data, and metadata injection.
describe('image import plugins', () => {
  let cloud: TestCloud;
  let base: string;
  let token: string;
  const work = mkdtempSync(join(tmpdir(), 'nimbus-plugins-'));

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: {
        'x-auth-token': token,
        ...(body !== undefined && !(body instanceof Buffer) ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: body instanceof Buffer ? body : JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };
  /** Stages data for a new image and imports it with glance-direct; resolves when it settles. */
  const importImage = async (data: Buffer, diskFormat: string) => {
    const image = (await call('POST', '/v2/images', { disk_format: diskFormat, container_format: 'bare' }))
      .body;
    await call('PUT', `/v2/images/${image.id}/stage`, data, { 'content-type': 'application/octet-stream' });
    expect(
      (await call('POST', `/v2/images/${image.id}/import`, { method: { name: 'glance-direct' } })).status,
    ).toBe(202);
    for (let i = 0; i < 400; i++) {
      const now = (await call('GET', `/v2/images/${image.id}`)).body;
      if (!now.os_glance_import_task) {
        const tasks = (await call('GET', `/v2/images/${image.id}/tasks`)).body.tasks;
        return { image: now, task: tasks[tasks.length - 1] };
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('import did not finish');
  };
  const qemuImg = (...args: string[]) => execFileSync('qemu-img', args, { stdio: 'pipe' });

  beforeAll(async () => {
    cloud = await startTestCloud([identityService, imageService], {
      identity: { password_hash_rounds: 4 },
      image_import_opts: {
        image_import_plugins: 'image_decompression, image_conversion, inject_image_metadata',
      },
      inject_metadata_properties: {
        inject: 'nimbus_origin:import, hw_qemu_guest_agent:yes',
        ignore_user_roles: 'nobody',
      },
    });
    base = cloud.url('image');
    ({ token } = await adminToken(cloud));
  });
  afterAll(async () => {
    await cloud?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('decompresses a gzipped qcow2, converts it to raw and injects the configured properties', async () => {
    const qcow2 = join(work, 'disk.qcow2');
    qemuImg('create', '-q', '-f', 'qcow2', qcow2, '2M');
    const { image, task } = await importImage(gzipSync(readFileSync(qcow2)), 'qcow2');
    expect(task.status).toBe('success');
    expect(image).toMatchObject({
      status: 'active',
      disk_format: 'raw',
      container_format: 'bare',
      size: 2 * 1024 * 1024,
      virtual_size: 2 * 1024 * 1024,
      nimbus_origin: 'import',
      hw_qemu_guest_agent: 'yes',
    });
  });

  it('refuses a qcow2 with a backing file and a qcow2 declared vmdk before qemu-img converts them', async () => {
    const backed = join(work, 'backed.qcow2');
    qemuImg('create', '-q', '-f', 'qcow2', '-b', '/etc/passwd', '-F', 'raw', backed, '1M');
    const first = await importImage(readFileSync(backed), 'qcow2');
    expect(first.task.status).toBe('failure');
    expect(first.task.message).toMatch(/backing file/);
    expect(first.image).toMatchObject({ status: 'queued', os_glance_failed_import: 'file' });
    const plain = join(work, 'plain.qcow2');
    qemuImg('create', '-q', '-f', 'qcow2', plain, '1M');
    const second = await importImage(readFileSync(plain), 'vmdk');
    expect(second.task.message).toMatch(/not the declared disk_format vmdk/);
    const iso = await importImage(Buffer.alloc(4096), 'iso');
    expect(iso.task.message).toMatch(/Unable to convert from format iso/);
  });

  it('extracts a single-file zip and refuses one with two files', async () => {
    const raw = join(work, 'disk.raw');
    writeFileSync(raw, Buffer.alloc(65536, 1));
    const one = join(work, 'one.zip');
    execFileSync('python3', [
      '-c',
      `import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w'); z.write(sys.argv[2],'disk.raw'); z.close()`,
      one,
      raw,
    ]);
    const ok = await importImage(readFileSync(one), 'raw');
    expect(ok.image).toMatchObject({ status: 'active', size: 65536 });
    const two = join(work, 'two.zip');
    execFileSync('python3', [
      '-c',
      `import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w'); z.write(sys.argv[2],'a'); z.write(sys.argv[2],'b'); z.close()`,
      two,
      raw,
    ]);
    const bad = await importImage(readFileSync(two), 'raw');
    expect(bad.task.message).toMatch(/more than one file/);
  });
});
