import { request } from 'node:http';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The image API through HTTP in the all-in-one cloud: the status machine, hostile uploads,
// quotas, patches, ranges and paging.
describe('image API', () => {
  let cloud: TestCloud;
  let base: string;
  let token: string;

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: {
        'x-auth-token': token,
        accept: 'application/json',
        ...(body !== undefined && !(body instanceof Buffer) ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: body instanceof Buffer ? body : JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: r.status, headers: r.headers, body: json };
  };
  const create = async (extra: Record<string, unknown> = {}) =>
    (await call('POST', '/v2/images', { disk_format: 'raw', container_format: 'bare', name: 't', ...extra }))
      .body;
  const upload = (id: string, data: Buffer) =>
    call('PUT', `/v2/images/${id}/file`, data, { 'content-type': 'application/octet-stream' });
  const qcow2Header = (opts: { backing?: boolean }) => {
    const b = Buffer.alloc(4096);
    b.writeUInt32BE(0x514649fb, 0);
    b.writeUInt32BE(3, 4);
    if (opts.backing) b.writeBigUInt64BE(512n, 8);
    b.writeBigUInt64BE(1n << 30n, 24);
    return b;
  };

  beforeAll(async () => {
    cloud = await startTestCloud([identityService, imageService], {
      identity: { password_hash_rounds: 4 },
      image: { image_size_cap: 1_000_000 },
    });
    base = cloud.url('image');
    ({ token } = await adminToken(cloud));
  });
  afterAll(async () => {
    await cloud?.stop();
  });
  const storeFiles = () => readdirSync(join(cloud.dataDir, 'images'));

  it('moves queued → active on upload, refuses a second upload, and serves ranges with Content-MD5', async () => {
    const image = await create();
    expect(image.status).toBe('queued');
    expect((await call('GET', `/v2/images/${image.id}/file`)).status).toBe(204);
    const data = Buffer.from('0123456789'.repeat(100));
    expect((await upload(image.id, data)).status).toBe(204);
    const shown = (await call('GET', `/v2/images/${image.id}`)).body;
    expect(shown).toMatchObject({ status: 'active', size: 1000, virtual_size: 1000, os_hash_algo: 'sha512' });
    expect((await upload(image.id, data)).status).toBe(409);
    const ranged = await call('GET', `/v2/images/${image.id}/file`, undefined, { range: 'bytes=10-19' });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe('bytes 10-19/1000');
    expect(
      (await call('GET', `/v2/images/${image.id}/file`, undefined, { range: 'bytes=5000-' })).status,
    ).toBe(416);
    expect((await call('GET', `/v2/images/${image.id}/file`)).headers.get('content-md5')).toBe(
      shown.checksum,
    );
  });

  it('kills images the inspector refuses and keeps none of their bytes', async () => {
    const before = storeFiles();
    const withBacking = await create({ disk_format: 'qcow2' });
    const r = await upload(withBacking.id, qcow2Header({ backing: true }));
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('backing file');
    expect((await call('GET', `/v2/images/${withBacking.id}`)).body.status).toBe('killed');
    const posingAsRaw = await create();
    expect((await upload(posingAsRaw.id, qcow2Header({}))).status).toBe(400);
    expect(storeFiles()).toEqual(before);
  });

  it('kills an upload cut off midway and returns an over-cap upload to queued', async () => {
    const before = storeFiles();
    const cut = await create();
    await new Promise<void>((resolve) => {
      const req = request(`${base}/v2/images/${cut.id}/file`, {
        method: 'PUT',
        headers: {
          'x-auth-token': token,
          'content-type': 'application/octet-stream',
          'transfer-encoding': 'chunked',
        },
      });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(64 * 1024, 1));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 200);
    });
    for (let i = 0; i < 50 && (await call('GET', `/v2/images/${cut.id}`)).body.status === 'saving'; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect((await call('GET', `/v2/images/${cut.id}`)).body.status).toBe('killed');
    const big = await create();
    expect((await upload(big.id, Buffer.alloc(1_000_001))).status).toBe(413);
    expect((await call('GET', `/v2/images/${big.id}`)).body.status).toBe('queued');
    expect(storeFiles()).toEqual(before);
  });

  it('validates patches and creation as Glance does', async () => {
    const image = await create();
    const patch = (ops: unknown, type = 'application/openstack-images-v2.1-json-patch') =>
      call('PATCH', `/v2/images/${image.id}`, ops, { 'content-type': type });
    expect((await patch([{ op: 'replace', path: '/name', value: 'renamed' }])).body.name).toBe('renamed');
    expect(
      (await patch([{ replace: '/min_ram', value: 64 }], 'application/openstack-images-v2.0-json-patch')).body
        .min_ram,
    ).toBe(64);
    expect((await patch([{ op: 'add', path: '/status', value: 'active' }])).status).toBe(403);
    expect((await patch([{ op: 'remove', path: '/nope' }])).status).toBe(409);
    expect((await patch([{ op: 'add', path: '/os_glance_x', value: 'y' }])).status).toBe(403);
    expect((await patch({ not: 'a list' })).status).toBe(400);
    expect((await patch([{ op: 'add', path: '/name', value: 'x' }], 'application/json')).status).toBe(415);
    expect((await call('POST', '/v2/images', { disk_format: 'floppy' })).status).toBe(400);
    expect((await call('POST', '/v2/images', { size: 5 })).status).toBe(403);
    expect((await call('POST', '/v2/images', { id: image.id })).status).toBe(409);
  });

  it('imports staged data with glance-direct, and records a refused import without keeping data', async () => {
    const info = (await call('GET', '/v2/info/import')).body;
    expect(info['import-methods'].value).toEqual([
      'glance-direct',
      'web-download',
      'copy-image',
      'glance-download',
    ]);
    const stageAndImport = async (data: Buffer, diskFormat = 'raw') => {
      const image = await create({ disk_format: diskFormat });
      expect(
        (
          await call('PUT', `/v2/images/${image.id}/stage`, data, {
            'content-type': 'application/octet-stream',
          })
        ).status,
      ).toBe(204);
      expect((await call('GET', `/v2/images/${image.id}`)).body.status).toBe('uploading');
      expect(
        (await call('POST', `/v2/images/${image.id}/import`, { method: { name: 'glance-direct' } })).status,
      ).toBe(202);
      for (let i = 0; i < 100; i++) {
        const now = (await call('GET', `/v2/images/${image.id}`)).body;
        // Finished once the task let go of the image (its lock goes last, after the staged data).
        if (now.status !== 'importing' && !now.os_glance_import_task) return now;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('import did not finish');
    };
    const good = await stageAndImport(Buffer.alloc(2048, 3));
    expect(good).toMatchObject({
      status: 'active',
      size: 2048,
      stores: 'file',
      os_glance_importing_to_stores: '',
    });
    const before = storeFiles();
    const bad = await stageAndImport(qcow2Header({}));
    expect(bad).toMatchObject({ status: 'queued', os_glance_failed_import: 'file' });
    expect(storeFiles()).toEqual(before);
    expect(readdirSync(join(cloud.dataDir, 'image-staging'))).toEqual([]);
    const notStaged = await create();
    expect(
      (await call('POST', `/v2/images/${notStaged.id}/import`, { method: { name: 'glance-direct' } })).status,
    ).toBe(409);
    expect(
      (await call('POST', `/v2/images/${notStaged.id}/import`, { method: { name: 'web-download' } })).status,
    ).toBe(400);
  });

  it('keeps metadata definitions: namespaces, objects, properties, tags and resource types', async () => {
    const types = (await call('GET', '/v2/metadefs/resource_types')).body.resource_types.map(
      (t: any) => t.name,
    );
    expect(types).toContain('OS::Glance::Image');
    const created = await call('POST', '/v2/metadefs/namespaces', {
      namespace: 'nimbus-test',
      visibility: 'public',
      protected: true,
      resource_type_associations: [{ name: 'OS::Glance::Image', prefix: 'hw_' }],
    });
    expect(created.status).toBe(201);
    expect((await call('POST', '/v2/metadefs/namespaces', { namespace: 'nimbus-test' })).status).toBe(409);
    const ns = '/v2/metadefs/namespaces/nimbus-test';
    expect(
      (
        await call('POST', `${ns}/objects`, {
          name: 'cpu',
          description: 'CPU',
          properties: { cores: { title: 'Cores', type: 'integer' } },
        })
      ).status,
    ).toBe(201);
    expect(
      (await call('POST', `${ns}/properties`, { name: 'hw_rng', title: 'RNG', type: 'boolean' })).status,
    ).toBe(201);
    expect((await call('POST', `${ns}/tags`, { tags: [{ name: 'a' }, { name: 'b' }] })).status).toBe(201);
    const full = (await call('GET', ns)).body;
    expect(full).toMatchObject({
      namespace: 'nimbus-test',
      protected: true,
      properties: { hw_rng: { title: 'RNG', type: 'boolean' } },
    });
    expect(full.objects.map((o: any) => o.name)).toEqual(['cpu']);
    expect(full.tags.map((t: any) => t.name)).toEqual(['a', 'b']);
    expect(full.resource_type_associations[0]).toMatchObject({ name: 'OS::Glance::Image', prefix: 'hw_' });
    expect((await call('PUT', `${ns}/tags/a`, { name: 'c' })).body.name).toBe('c');
    expect((await call('GET', `${ns}/objects/nope`)).status).toBe(404);
    expect((await call('DELETE', ns)).status).toBe(403);
    await call('PUT', ns, { namespace: 'nimbus-test', protected: false });
    expect((await call('DELETE', ns)).status).toBe(204);
    expect((await call('GET', ns)).status).toBe(404);
    expect((await call('GET', '/v2/schemas/metadefs/resource_types')).body.name).toBe(
      'resource_type_associations',
    );
  });

  it('pages lists with a next link and filters by tag', async () => {
    for (let i = 0; i < 5; i++) await create({ name: `page-${i}`, tags: ['paging'] });
    const first = await call('GET', '/v2/images?tag=paging&limit=2&sort=name:asc');
    expect(first.body.images.map((i: any) => i.name)).toEqual(['page-0', 'page-1']);
    const second = await call('GET', first.body.next);
    expect(second.body.images.map((i: any) => i.name)).toEqual(['page-2', 'page-3']);
    expect((await call('GET', '/v2/images?marker=00000000-0000-0000-0000-000000000000')).status).toBe(400);
  });
});
