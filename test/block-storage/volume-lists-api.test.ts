import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockStorageCloud, type Caller } from './block-storage-cloud';

// Quota usage kept as counters, lists paged in SQL from a marker, and URLs without the project
// id (3.67).
describe('block-storage API: usage counters, SQL paging, project-less URLs', () => {
  let cloud: TestCloud;
  let call: Caller;
  let root: Caller;
  let adminProject: string;
  const bare: Caller = (method, path, body, headers) => root(method, `/v3${path}`, body, headers);
  const mv = { 'openstack-api-version': 'volume 3.67' };

  beforeAll(async () => {
    ({
      cloud,
      admin: call,
      root,
      adminProject,
    } = await blockStorageCloud({
      blockStorage: { quota_volumes: 6 },
    }));
  }, 60_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  const waitAvailable = async (id: string) => {
    for (let i = 0; i < 500; i++) {
      const r = await call('GET', `/volumes/${id}`);
      if (r.body.volume.status === 'available') return;
      await new Promise((res) => setTimeout(res, 10));
    }
    throw new Error(`volume ${id} never became available`);
  };

  it('counts usage as volumes come and go, and refuses the one over quota', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await bare('POST', '/volumes', { volume: { size: 2, name: `v${i}` } }, mv);
      expect(r.status).toBe(202);
      ids.push(r.body.volume.id);
    }
    for (const id of ids) await waitAvailable(id);
    const usage = await call('GET', `/os-quota-sets/${adminProject}?usage=True`);
    expect(usage.body.quota_set.volumes).toMatchObject({ in_use: 5, limit: 6 });
    expect(usage.body.quota_set.gigabytes.in_use).toBe(10);

    const sixth = await call('POST', '/volumes', { volume: { size: 1 } });
    expect(sixth.status).toBe(202);
    const seventh = await call('POST', '/volumes', { volume: { size: 1 } });
    expect(seventh.status).toBe(413);
    await waitAvailable(sixth.body.volume.id);
    expect((await call('DELETE', `/volumes/${sixth.body.volume.id}`)).status).toBe(202);
    for (let i = 0; i < 500; i++) {
      if ((await call('GET', `/volumes/${sixth.body.volume.id}`)).status === 404) break;
      await new Promise((res) => setTimeout(res, 10));
    }
    expect((await call('POST', '/volumes', { volume: { size: 1, name: 'last' } })).status).toBe(202);
  });

  it('pages the detail list newest first from a marker, with the count, at both URL forms', async () => {
    const all = await call('GET', '/volumes/detail', undefined, mv);
    const newestFirst = [...all.body.volumes].sort(
      (a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id),
    );
    expect(all.body.volumes.map((v: { id: string }) => v.id)).toEqual(newestFirst.map((v) => v.id));

    const seen: string[] = [];
    let path = '/volumes/detail?limit=2&with_count=true';
    for (let i = 0; i < 10 && path; i++) {
      const r = await bare('GET', path, undefined, mv);
      expect(r.status).toBe(200);
      expect(r.body.count).toBe(6);
      seen.push(...r.body.volumes.map((v: { id: string }) => v.id));
      const next: string | undefined = r.body.volumes_links?.[0]?.href;
      path = next ? next.slice(next.indexOf('/volumes')) : '';
    }
    expect(seen).toEqual(newestFirst.map((v) => v.id));

    const byStatus = await call('GET', '/volumes?status=available&sort=id:asc&limit=3', undefined, mv);
    expect(byStatus.body.volumes.map((v: { id: string }) => v.id)).toEqual(
      newestFirst
        .map((v) => v.id)
        .sort()
        .slice(0, 3),
    );
    const named = await call('GET', '/volumes?name=v3', undefined, mv);
    expect(named.body.volumes.map((v: { name: string }) => v.name)).toEqual(['v3']);
    expect((await call('GET', '/volumes/detail?marker=nope', undefined, mv)).status).toBe(404);
  });
});
