import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { objectStorageService } from '@nimbus/object-storage';
import { adminToken, passwordToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Multi-store images in the all-in-one cloud: two file stores and a swift store (objects in the
// object-storage service, written through its client as the glance service user), uploads to a
// named store, copy-image, imports to several stores, deletes from one store, the tasks API,
// web-download and glance-download.
describe('image stores, imports and tasks', () => {
  let cloud: TestCloud;
  let base: string;
  let token: string;
  let web: Server;
  let webUrl: string;
  const payload = Buffer.alloc(300_000).map((_, i) => (i * 7) % 251);

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
    const bytes = Buffer.from(await r.arrayBuffer());
    let json: any;
    try {
      json = bytes.length ? JSON.parse(bytes.toString()) : undefined;
    } catch {
      json = undefined;
    }
    return { status: r.status, headers: r.headers, body: json, bytes };
  };
  const create = async (extra: Record<string, unknown> = {}) =>
    (await call('POST', '/v2/images', { disk_format: 'raw', container_format: 'bare', name: 'm', ...extra }))
      .body;
  const octet = { 'content-type': 'application/octet-stream' };
  const until = async (id: string, done: (image: any) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const image = (await call('GET', `/v2/images/${id}`)).body;
      if (done(image)) return image;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`image ${id} did not settle`);
  };
  /** The objects of the swift store's container, listed as the glance service user. */
  const swiftObjects = async () => {
    const password = parse(readFileSync(join(cloud.dataDir, 'service-users.yaml'), 'utf8')).glance;
    const glance = await passwordToken(cloud, 'glance', password, 'service');
    const r = await fetch(`${cloud.url('object-store')}/v1/AUTH_${glance.projectId}/glance?format=json`, {
      headers: { 'x-auth-token': glance.token },
    });
    expect(r.status).toBe(200);
    return ((await r.json()) as { name: string }[]).map((o) => o.name);
  };
  beforeAll(async () => {
    web = createServer((req, res) => {
      if (req.url === '/image.raw') res.end(payload);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}/image.raw`;
    cloud = await startTestCloud([identityService, imageService, objectStorageService], {
      identity: { password_hash_rounds: 4 },
      object_storage: { part_power: 6 },
      image: {
        enabled_backends: 'file:file, fast:file, objects:swift',
        swift_store_large_object_chunk_size: 1,
      },
      import_filtering_opts: { allowed_ports: '', allow_private_networks: true },
    });
    base = cloud.url('image');
    ({ token } = await adminToken(cloud));
  });
  afterAll(async () => {
    await cloud?.stop();
    web?.close();
  });

  it('lists the stores, and uploads to the one X-Image-Meta-Store names', async () => {
    expect((await call('GET', '/v2/info/stores')).body.stores).toEqual([
      { id: 'file', default: 'true' },
      { id: 'fast' },
      { id: 'objects' },
    ]);
    const detail = (await call('GET', '/v2/info/stores/detail')).body.stores;
    expect(detail.map((s: any) => s.type)).toEqual(['file', 'file', 'swift']);
    expect(detail[2].properties).toMatchObject({ container: 'glance' });
    const image = await create();
    expect(
      (await call('PUT', `/v2/images/${image.id}/file`, payload, { ...octet, 'x-image-meta-store': 'nope' }))
        .status,
    ).toBe(400);
    expect(
      (
        await call('PUT', `/v2/images/${image.id}/file`, payload, {
          ...octet,
          'x-image-meta-store': 'objects',
        })
      ).status,
    ).toBe(204);
    const shown = (await call('GET', `/v2/images/${image.id}`)).body;
    expect(shown).toMatchObject({ status: 'active', stores: 'objects', size: payload.length });
    // 300 kB in 1 MiB segments: one segment and its manifest.
    expect((await swiftObjects()).filter((n) => n.startsWith(image.id))).toHaveLength(2);
    const got = await call('GET', `/v2/images/${image.id}/file`);
    expect(got.bytes.equals(payload)).toBe(true);
    const part = await call('GET', `/v2/images/${image.id}/file`, undefined, { range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.bytes.equals(payload.subarray(1000, 2000))).toBe(true);
    expect((await call('DELETE', `/v2/images/${image.id}`)).status).toBe(204);
    expect((await swiftObjects()).filter((n) => n.startsWith(image.id))).toEqual([]);
  });

  it('copies an image to every store, and deletes it from one store at a time', async () => {
    const image = await create();
    await call('PUT', `/v2/images/${image.id}/file`, payload, octet);
    const copy = await call('POST', `/v2/images/${image.id}/import`, {
      method: { name: 'copy-image' },
      all_stores: true,
      all_stores_must_succeed: false,
    });
    expect(copy.status).toBe(202);
    const copied = await until(
      image.id,
      (i) => i.os_glance_importing_to_stores === '' && !i.os_glance_import_task,
    );
    expect(copied).toMatchObject({
      status: 'active',
      stores: 'fast,file,objects',
      os_glance_failed_import: '',
    });
    const again = await call('POST', `/v2/images/${image.id}/import`, {
      method: { name: 'copy-image' },
      stores: ['fast'],
    });
    expect(again.status).toBe(400);
    expect((await call('DELETE', `/v2/stores/file/${image.id}`)).status).toBe(204);
    expect((await call('DELETE', `/v2/stores/file/${image.id}`)).status).toBe(404);
    expect((await call('DELETE', `/v2/stores/fast/${image.id}`)).status).toBe(204);
    expect((await call('GET', `/v2/images/${image.id}`)).body.stores).toBe('objects');
    expect((await call('GET', `/v2/images/${image.id}/file`)).bytes.equals(payload)).toBe(true);
    expect((await call('DELETE', `/v2/stores/objects/${image.id}`)).status).toBe(403);
    expect((await call('DELETE', `/v2/stores/elsewhere/${image.id}`)).status).toBe(409);
    const tasks = (await call('GET', `/v2/images/${image.id}/tasks`)).body.tasks;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      type: 'api_image_import',
      status: 'success',
      result: { image_id: image.id },
    });
    expect(tasks[0].input.backend.sort()).toEqual(['fast', 'objects']);
  });

  it('imports staged data into several stores, and undoes them all when one must succeed and fails', async () => {
    const image = await create();
    await call('PUT', `/v2/images/${image.id}/stage`, payload, octet);
    const imported = await call('POST', `/v2/images/${image.id}/import`, {
      method: { name: 'glance-direct' },
      stores: ['objects', 'fast'],
    });
    expect(imported.status).toBe(202);
    const done = await until(image.id, (i) => i.status === 'active');
    expect(done.stores).toBe('fast,objects');
    expect(done.os_glance_importing_to_stores).toBe('');
    expect((await call('GET', `/v2/images/${image.id}/file`)).bytes.equals(payload)).toBe(true);

    // A qcow2 header declared raw: the inspector refuses it in the first store, nothing is kept.
    const bad = await create();
    const qcow2 = Buffer.alloc(4096);
    qcow2.writeUInt32BE(0x514649fb, 0);
    qcow2.writeUInt32BE(3, 4);
    qcow2.writeBigUInt64BE(1n << 30n, 24);
    const before = (await swiftObjects()).length;
    await call('PUT', `/v2/images/${bad.id}/stage`, qcow2, octet);
    await call('POST', `/v2/images/${bad.id}/import`, {
      method: { name: 'glance-direct' },
      all_stores: true,
    });
    const failed = await until(bad.id, (i) => i.status === 'queued');
    expect(failed.os_glance_failed_import).toBe('file');
    expect(failed.stores).toBeUndefined();
    expect((await swiftObjects()).length).toBe(before);
    const task = (await call('GET', `/v2/images/${bad.id}/tasks`)).body.tasks[0];
    expect(task.status).toBe('failure');
    expect(task.message).toMatch(/format inspector/);
    await call('PUT', `/v2/images/${bad.id}/stage`, qcow2, octet);
    const both = await call('POST', `/v2/images/${bad.id}/import`, {
      method: { name: 'glance-direct' },
      all_stores: true,
      stores: ['file'],
    });
    expect(both.status).toBe(400);
  });

  it('imports with web-download and glance-download, copying only the listed properties', async () => {
    const source = await create({ hw_cpu_cores: '4', os_distro: 'debian', speed: 'fast' });
    expect(
      (
        await call('POST', `/v2/images/${source.id}/import`, {
          method: { name: 'web-download', uri: webUrl },
        })
      ).status,
    ).toBe(202);
    const fetched = await until(source.id, (i) => i.status !== 'importing' && i.status !== 'queued');
    expect(fetched).toMatchObject({ status: 'active', size: payload.length, stores: 'file' });

    const target = await create({ disk_format: 'iso', container_format: 'ovf', os_distro: 'windows' });
    const bad = await call('POST', `/v2/images/${target.id}/import`, {
      method: { name: 'glance-download', glance_image_id: 'nope', glance_region: 'RegionOne' },
    });
    expect(bad.status).toBe(400);
    const wrongRegion = await call('POST', `/v2/images/${target.id}/import`, {
      method: { name: 'glance-download', glance_image_id: source.id, glance_region: 'Atlantis' },
    });
    expect(wrongRegion.status).toBe(202);
    const undone = await until(target.id, (i) => !i.os_glance_import_task);
    expect(undone).toMatchObject({ status: 'queued', os_distro: 'windows' });
    await call('POST', `/v2/images/${target.id}/import`, {
      method: { name: 'glance-download', glance_image_id: source.id, glance_region: 'RegionOne' },
    });
    const downloaded = await until(target.id, (i) => i.status === 'active');
    expect(downloaded).toMatchObject({
      disk_format: 'raw',
      container_format: 'bare',
      hw_cpu_cores: '4',
      os_distro: 'debian',
    });
    expect(downloaded.speed).toBeUndefined();
    expect((await call('GET', `/v2/images/${target.id}/file`)).bytes.equals(payload)).toBe(true);
    const statuses = (await call('GET', `/v2/images/${target.id}/tasks`)).body.tasks.map(
      (t: any) => t.status,
    );
    expect(statuses).toEqual(['failure', 'success']);
  });

  it('runs legacy import tasks and lists and shows tasks to admins', async () => {
    const created = await call('POST', '/v2/tasks', {
      type: 'import',
      input: {
        import_from: webUrl,
        import_from_format: 'raw',
        image_properties: { name: 'legacy', container_format: 'bare' },
      },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v2/tasks/${created.body.id}`);
    let task = created.body;
    for (let i = 0; i < 200 && (task.status === 'pending' || task.status === 'processing'); i++) {
      await new Promise((r) => setTimeout(r, 25));
      task = (await call('GET', `/v2/tasks/${task.id}`)).body;
    }
    expect(task).toMatchObject({ status: 'success', type: 'import' });
    expect(task.expires_at).toBeTruthy();
    const image = (await call('GET', `/v2/images/${task.result.image_id}`)).body;
    expect(image).toMatchObject({ name: 'legacy', status: 'active', size: payload.length });
    const list = (await call('GET', '/v2/tasks?limit=1&sort_dir=desc')).body;
    expect(list.tasks).toHaveLength(1);
    expect(list.tasks[0].input).toBeUndefined();
    expect(list.next).toMatch(/marker=/);
    expect((await call('GET', '/v2/tasks?status=bogus')).status).toBe(400);
    expect((await call('DELETE', `/v2/tasks/${task.id}`)).status).toBe(405);
    expect(
      (await call('POST', '/v2/tasks', { type: 'import', input: { import_from: 'http://169.254.169.254/' } }))
        .status,
    ).toBe(400);
    expect((await call('GET', '/v2/schemas/task')).body.name).toBe('task');
  });
});
