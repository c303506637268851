import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockStorageCloud, type Caller, until } from './block-storage-cloud';

// Volumes through HTTP: versions, create → available via scheduler and volume role, show,
// list with filters, update, metadata, extend, snapshots, delete, and Cinder's fault bodies.
describe('block-storage API: volumes', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;
  let root: Caller;

  beforeAll(async () => {
    ({ cloud, admin, member, root } = await blockStorageCloud());
  }, 60_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  const waitStatus = async (path: string, key: string, status: string) => {
    await until(async () => (await member('GET', path)).body?.[key]?.status === status);
  };

  it('answers the version documents with the microversion range', async () => {
    const r = await root('GET', '/');
    expect(r.status).toBe(300);
    expect(r.body.versions[0]).toMatchObject({
      id: 'v3.0',
      min_version: '3.0',
      version: '3.70',
      status: 'CURRENT',
    });
    const v3 = await root('GET', '/v3/');
    expect(v3.status).toBe(200);
    const latest = await member('GET', '/volumes', undefined, { 'openstack-api-version': 'volume latest' });
    expect(latest.headers.get('openstack-api-version')).toBe('volume 3.70');
    const bad = await member('GET', '/volumes', undefined, { 'openstack-api-version': 'volume 3.99' });
    expect(bad.status).toBe(406);
  });

  it('creates a volume that becomes available, and shows it', async () => {
    const r = await member('POST', '/volumes', { volume: { size: 1, name: 'v1', metadata: { a: 'b' } } });
    expect(r.status).toBe(202);
    expect(r.body.volume).toMatchObject({
      size: 1,
      name: 'v1',
      status: 'creating',
      bootable: 'false',
      volume_type: '__DEFAULT__',
    });
    expect(r.body.volume['os-vol-tenant-attr:tenant_id']).toBeUndefined();
    const id = r.body.volume.id;
    await waitStatus(`/volumes/${id}`, 'volume', 'available');
    const shown = await member('GET', `/volumes/${id}`);
    expect(shown.body.volume.metadata).toEqual({ a: 'b' });
    const asAdmin = await admin('GET', `/volumes/${id}`);
    expect(asAdmin.body.volume['os-vol-host-attr:host']).toMatch(/.+@.+#.+/);
  });

  it('answers bad sizes, unknown types and missing volumes with Cinder fault bodies', async () => {
    for (const size of [0, -1, 1.5, 'abc']) {
      const r = await member('POST', '/volumes', { volume: { size } });
      expect(r.status).toBe(400);
      expect(r.body.badRequest.code).toBe(400);
    }
    const t = await member('POST', '/volumes', { volume: { size: 1, volume_type: 'nope' } });
    expect(t.status).toBe(404);
    expect(t.body.itemNotFound.code).toBe(404);
    const missing = await member('GET', '/volumes/00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(404);
  });

  it('lists with filters, sorting, paging and with_count', async () => {
    for (const name of ['la', 'lb', 'lc']) await member('POST', '/volumes', { volume: { size: 1, name } });
    const byName = await member('GET', '/volumes/detail?name=lb');
    expect(byName.body.volumes.map((v: any) => v.name)).toEqual(['lb']);
    const paged = await member('GET', '/volumes?limit=2&sort=name:asc');
    expect(paged.body.volumes).toHaveLength(2);
    expect(paged.body.volumes_links[0].rel).toBe('next');
    const counted = await member('GET', '/volumes?with_count=true', undefined, {
      'openstack-api-version': 'volume 3.45',
    });
    expect(counted.body.count).toBeGreaterThanOrEqual(4);
    const like = await member('GET', '/volumes?name~=l', undefined, {
      'openstack-api-version': 'volume 3.34',
    });
    expect(like.body.volumes.length).toBeGreaterThanOrEqual(3);
    const summary = await member('GET', '/volumes/summary', undefined, {
      'openstack-api-version': 'volume 3.12',
    });
    expect(summary.body['volume-summary'].total_count).toBeGreaterThanOrEqual(4);
  });

  it('extends, snapshots and refuses to delete a volume with snapshots, then cascades', async () => {
    const v = (await member('POST', '/volumes', { volume: { size: 1, name: 'ext' } })).body.volume;
    await waitStatus(`/volumes/${v.id}`, 'volume', 'available');
    expect((await member('POST', `/volumes/${v.id}/action`, { 'os-extend': { new_size: 1 } })).status).toBe(
      400,
    );
    expect((await member('POST', `/volumes/${v.id}/action`, { 'os-extend': { new_size: 2 } })).status).toBe(
      202,
    );
    await until(async () => (await member('GET', `/volumes/${v.id}`)).body.volume.size === 2);
    const s = await member('POST', '/snapshots', { snapshot: { volume_id: v.id, name: 's1' } });
    expect(s.status).toBe(202);
    await waitStatus(`/snapshots/${s.body.snapshot.id}`, 'snapshot', 'available');
    const refused = await member('DELETE', `/volumes/${v.id}`);
    expect(refused.status).toBe(400);
    expect((await member('DELETE', `/volumes/${v.id}?cascade=true`)).status).toBe(202);
    await until(async () => (await member('GET', `/volumes/${v.id}`)).status === 404);
    expect((await member('GET', `/snapshots/${s.body.snapshot.id}`)).status).toBe(404);
  });

  it('keeps quota: usage, limits and an over-quota create refused with 413', async () => {
    const limits = await member('GET', '/limits');
    expect(limits.body.limits.absolute.maxTotalVolumes).toBe(10);
    const project = (await member('GET', '/volumes')).body.volumes[0]?.links[0].href.split('/')[4];
    expect((await admin('PUT', `/os-quota-sets/${project}`, { quota_set: { gigabytes: 5 } })).status).toBe(
      200,
    );
    const over = await member('POST', '/volumes', { volume: { size: 10 } });
    expect(over.status).toBe(413);
    expect(over.body.overLimit.code).toBe(413);
    const usage = await admin('GET', `/os-quota-sets/${project}?usage=true`);
    expect(usage.body.quota_set.gigabytes.limit).toBe(5);
    await admin('DELETE', `/os-quota-sets/${project}`);
  });
});
