import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, computeCloud } from './compute-cloud';

const V235 = { 'openstack-api-version': 'compute 2.35' };
const V238 = { 'openstack-api-version': 'compute 2.38' };
const V239 = { 'openstack-api-version': 'compute 2.39' };

describe('compute: the images proxy (/images and their metadata) in Nova view', () => {
  let env: Awaited<ReturnType<typeof computeCloud>>;
  let compute: Caller;
  let queuedId: string;

  beforeAll(async () => {
    env = await computeCloud();
    compute = env.compute;
    const queued = await env.image('POST', '/v2/images', {
      name: 'queued',
      disk_format: 'raw',
      container_format: 'bare',
      min_ram: 64,
      instance_uuid: '8a4f6b1e-9f0e-4a3c-b2a1-0d6c1e2f3a4b',
      image_type: 'snapshot',
      auto_disk_config: 'True',
    });
    queuedId = queued.body.id;
  });
  afterAll(async () => {
    await env?.cloud.stop();
  });

  it('shows an image with minRam, minDisk, metadata, status, progress, size and its server', async () => {
    const r = await compute('GET', `/images/${queuedId}`, undefined, V235);
    expect(r.status).toBe(200);
    expect(r.body.image).toMatchObject({
      id: queuedId,
      name: 'queued',
      minRam: 64,
      minDisk: 0,
      status: 'SAVING',
      progress: 25,
      'OS-EXT-IMG-SIZE:size': 0,
      'OS-DCF:diskConfig': 'AUTO',
      metadata: {
        instance_uuid: '8a4f6b1e-9f0e-4a3c-b2a1-0d6c1e2f3a4b',
        image_type: 'snapshot',
        auto_disk_config: 'True',
      },
      server: { id: '8a4f6b1e-9f0e-4a3c-b2a1-0d6c1e2f3a4b' },
    });
    expect(r.body.image.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(r.body.image.links.map((l: any) => l.rel)).toEqual(['self', 'bookmark', 'alternate']);
    const active = await compute('GET', `/images/${env.imageId}`, undefined, V235);
    expect(active.body.image).toMatchObject({
      status: 'ACTIVE',
      progress: 100,
      'OS-EXT-IMG-SIZE:size': 1024,
    });
    expect(active.body.image.server).toBeUndefined();
    expect((await compute('GET', '/images/nope', undefined, V235)).body.itemNotFound.message).toBe(
      'Image not found.',
    );
    expect(
      (await compute('GET', `/images/${queuedId}`, undefined, { 'openstack-api-version': 'compute 2.36' }))
        .status,
    ).toBe(404);
  });

  it('lists with filters and pages with images_links', async () => {
    const all = await compute('GET', '/images', undefined, V235);
    expect(all.body.images.map((i: any) => i.name).sort()).toEqual(['cirros', 'queued']);
    expect(Object.keys(all.body.images[0]).sort()).toEqual(['id', 'links', 'name']);
    const byServer = await compute(
      'GET',
      '/images/detail?server=http://x/servers/8a4f6b1e-9f0e-4a3c-b2a1-0d6c1e2f3a4b',
      undefined,
      V235,
    );
    expect(byServer.body.images.map((i: any) => i.id)).toEqual([queuedId]);
    const byStatus = await compute('GET', '/images/detail?status=ACTIVE', undefined, V235);
    expect(byStatus.body.images.map((i: any) => i.id)).toEqual([env.imageId]);
    const byType = await compute('GET', '/images?type=snapshot', undefined, V235);
    expect(byType.body.images.map((i: any) => i.id)).toEqual([queuedId]);
    const page = await compute('GET', '/images?limit=1', undefined, V235);
    expect(page.body.images).toHaveLength(1);
    expect(page.body.images_links[0].rel).toBe('next');
    const next = new URL(page.body.images_links[0].href).searchParams.get('marker');
    const rest = await compute('GET', `/images?limit=1&marker=${next}`, undefined, V235);
    expect(rest.body.images).toHaveLength(1);
    expect(rest.body.images[0].id).not.toBe(page.body.images[0].id);
  });

  it('lists, sets, updates, shows and deletes image metadata until 2.38', async () => {
    const url = `/images/${queuedId}/metadata`;
    const set = await compute('POST', url, { metadata: { os_distro: 'cirros' } }, V238);
    expect(set.status).toBe(200);
    expect(set.body.metadata).toMatchObject({ os_distro: 'cirros', image_type: 'snapshot' });
    const replaced = await compute('PUT', url, { metadata: { a: '1', b: '2' } }, V238);
    expect(replaced.body).toEqual({ metadata: { a: '1', b: '2' } });
    expect((await compute('GET', url, undefined, V238)).body).toEqual({ metadata: { a: '1', b: '2' } });
    const item = await compute('PUT', `${url}/a`, { meta: { a: '3' } }, V238);
    expect(item.body).toEqual({ meta: { a: '3' } });
    expect((await compute('PUT', `${url}/a`, { meta: { b: '3' } }, V238)).body.badRequest.message).toBe(
      'Request body and URI mismatch',
    );
    expect((await compute('GET', `${url}/a`, undefined, V238)).body).toEqual({ meta: { a: '3' } });
    expect((await compute('DELETE', `${url}/a`, undefined, V238)).status).toBe(204);
    expect((await compute('GET', `${url}/a`, undefined, V238)).status).toBe(404);
    expect((await compute('DELETE', `${url}/a`, undefined, V238)).body.itemNotFound.message).toBe(
      'Invalid metadata key',
    );
    expect((await compute('GET', url, undefined, V238)).body).toEqual({ metadata: { b: '2' } });
    expect((await compute('GET', url, undefined, V239)).status).toBe(404);
    expect((await compute('GET', '/images/nope/metadata', undefined, V238)).status).toBe(404);
    expect((await compute('POST', url, { metadata: { a: 1 } }, V238)).status).toBe(400);
  });

  it('deletes an image through the image service; a missing one is 404', async () => {
    expect((await compute('DELETE', `/images/${queuedId}`, undefined, V235)).status).toBe(204);
    expect((await compute('DELETE', `/images/${queuedId}`, undefined, V235)).status).toBe(404);
    expect((await compute('GET', `/images/${queuedId}`, undefined, V235)).status).toBe(404);
  });
});
