import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockStorageCloud, type Caller, until } from './block-storage-cloud';

// The scheduler counts what it placed since a pool's last capacity report: two fast creates
// that fit only one per pool land on two pools, instead of both on the one reported freest.
describe('block-storage scheduler: capacity between pool reports', () => {
  let cloud: TestCloud;
  let admin: Caller;

  beforeAll(async () => {
    ({ cloud, admin } = await blockStorageCloud({
      // Reports only at start: every placement after that works from the scheduler's own count.
      blockStorage: {
        enabled_backends: ['fake-a:fake', 'fake-b:fake'],
        fake_capacity_gb: 10,
        pool_report_interval: 3600,
      },
    }));
  }, 60_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('places two 6 GB volumes on two 10 GB pools, one each', async () => {
    const made = await Promise.all([1, 2].map(() => admin('POST', '/volumes', { volume: { size: 6 } })));
    const ids = made.map((r) => r.body.volume.id as string);
    const settled = async () =>
      Promise.all(ids.map(async (id) => (await admin('GET', `/volumes/${id}`)).body.volume));
    await until(async () => (await settled()).every((v) => v.status !== 'creating'));
    const volumes = await settled();
    expect(volumes.map((v) => v.status)).toEqual(['available', 'available']);
    const hosts = new Set(volumes.map((v) => v['os-vol-host-attr:host'].split('#')[0]));
    expect(hosts.size).toBe(2);
  });

  it('refuses a third that no pool has room for, with the scheduler message', async () => {
    const r = await admin('POST', '/volumes', { volume: { size: 6 } });
    const id = r.body.volume.id;
    await until(async () => (await admin('GET', `/volumes/${id}`)).body.volume.status === 'error');
    const m = await admin('GET', `/messages?resource_uuid=${id}`, undefined, {
      'openstack-api-version': 'volume 3.3',
    });
    expect(m.body.messages[0].user_message).toMatch(/Could not find any available weighted backend/);
  });
});
