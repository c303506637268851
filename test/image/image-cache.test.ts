import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The image cache of an API node (image_cache_dir set): downloads fill it, later downloads come
// from it, the queue prefetches, the least recently used images go past the size limit, and the
// cache API (v2.14) lists, queues, deletes and clears.
describe('image cache', () => {
  let cloud: TestCloud;
  let base: string;
  let token: string;
  const payload = (seed: number) => Buffer.from(Buffer.alloc(300_000).map((_, i) => (i * seed) % 251));

  const call = async (method: string, path: string, body?: Buffer, headers: Record<string, string> = {}) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { 'x-auth-token': token, ...headers },
      ...(body ? { body } : {}),
    });
    const bytes = Buffer.from(await r.arrayBuffer());
    let json: any;
    try {
      json = JSON.parse(bytes.toString());
    } catch {
      json = undefined;
    }
    return { status: r.status, body: json, bytes };
  };
  const imageWith = async (data: Buffer) => {
    const r = await fetch(`${base}/v2/images`, {
      method: 'POST',
      headers: { 'x-auth-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ disk_format: 'raw', container_format: 'bare' }),
    });
    const id = ((await r.json()) as { id: string }).id;
    expect(
      (await call('PUT', `/v2/images/${id}/file`, data, { 'content-type': 'application/octet-stream' }))
        .status,
    ).toBe(204);
    return id;
  };
  const cached = async () => (await call('GET', '/v2/cache')).body;
  const until = async (check: (state: any) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const state = await cached();
      if (check(state)) return state;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the cache did not settle');
  };

  beforeAll(async () => {
    cloud = await startTestCloud([identityService, imageService], {
      identity: { password_hash_rounds: 4 },
      image: { image_cache_dir: 'image-cache', image_cache_max_size: 700_000 },
    });
    base = cloud.url('image');
    ({ token } = await adminToken(cloud));
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('announces the cache API, and refuses what cannot be cached', async () => {
    const versions = (await fetch(`${base}/versions`).then((r) => r.json())) as any;
    expect(versions.versions.slice(0, 3).map((v: any) => [v.id, v.status])).toEqual([
      ['v2.16', 'CURRENT'],
      ['v2.15', 'SUPPORTED'],
      ['v2.14', 'SUPPORTED'],
    ]);
    expect((await call('PUT', '/v2/cache/non-existing-image-id')).status).toBe(404);
    const queued = await fetch(`${base}/v2/images`, {
      method: 'POST',
      headers: { 'x-auth-token': token, 'content-type': 'application/json' },
      body: '{}',
    }).then((r) => r.json() as Promise<{ id: string }>);
    expect((await call('PUT', `/v2/cache/${queued.id}`)).status).toBe(400);
    expect(
      (await call('DELETE', '/v2/cache', undefined, { 'x-image-cache-clear-target': 'invalid' })).status,
    ).toBe(400);
  });

  it('fills on download, serves later downloads from the cache, prefetches the queue and prunes', async () => {
    const first = payload(3);
    const a = await imageWith(first);
    expect((await cached()).cached_images).toEqual([]);
    expect((await call('GET', `/v2/images/${a}/file`)).bytes.equals(first)).toBe(true);
    const filled = await until((s) => s.cached_images.some((c: any) => c.image_id === a));
    expect(filled.cached_images[0]).toMatchObject({ image_id: a, size: first.length, hits: 0 });
    // The store's copy gone, the cache still serves the image (and counts the hit).
    rmSync(join(cloud.dataDir, 'images', a));
    expect((await call('GET', `/v2/images/${a}/file`)).bytes.equals(first)).toBe(true);
    expect((await cached()).cached_images[0].hits).toBe(1);

    const b = await imageWith(payload(5));
    expect((await call('PUT', `/v2/cache/${b}`)).status).toBe(202);
    await until((s) => s.queued_images.length === 0 && s.cached_images.length === 2);
    // A third image passes 700 kB: the least recently used (b's neighbour a was used later) goes.
    await call('GET', `/v2/images/${a}/file`);
    const c = await imageWith(payload(7));
    await call('GET', `/v2/images/${c}/file`);
    const pruned = await until(
      (s) => s.cached_images.length === 2 && s.cached_images.some((x: any) => x.image_id === c),
    );
    expect(pruned.cached_images.map((x: any) => x.image_id).sort()).toEqual([a, c].sort());

    expect((await call('DELETE', `/v2/cache/${c}`)).status).toBe(204);
    expect((await call('DELETE', `/v2/images/${a}`)).status).toBe(204);
    expect((await cached()).cached_images).toEqual([]);
    expect(readdirSync(join(cloud.dataDir, 'image-cache', 'incomplete'))).toEqual([]);
    await call('PUT', `/v2/cache/${c}`);
    await until((s) => s.cached_images.length === 1);
    expect((await call('DELETE', '/v2/cache')).status).toBe(204);
    expect(await cached()).toEqual({ cached_images: [], queued_images: [] });
  });
});
