import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockStorageCloud, type Caller, until } from './block-storage-cloud';

// Manage / unmanage through HTTP on the fake backend (seeded with two backend volumes): the
// manageable lists (sort, paging, summary and detail), adopting a backend volume, unmanaging a
// volume and a snapshot and managing them back, and the upstream errors.
describe('block-storage API: manage and unmanage', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;
  let host: string;
  const mv = { 'openstack-api-version': 'volume 3.8' };

  beforeAll(async () => {
    ({ cloud, admin, member } = await blockStorageCloud({
      blockStorage: { fake_manageable: ['legacy-a:3', 'legacy-b:1'] },
    }));
    const made = await admin('POST', '/volumes', { volume: { size: 1 } });
    await until(
      async () => (await admin('GET', `/volumes/${made.body.volume.id}`)).body.volume.status === 'available',
    );
    host = (await admin('GET', `/volumes/${made.body.volume.id}`)).body.volume['os-vol-host-attr:host'];
  }, 60_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  const status = async (kind: 'volumes' | 'snapshots', id: string) =>
    (await admin('GET', `/${kind}/${id}`)).body?.[kind === 'volumes' ? 'volume' : 'snapshot']?.status;

  it('lists manageable volumes: summary, detail with the owned ones not safe, sort and paging', async () => {
    const summary = await admin('GET', `/manageable_volumes?host=${encodeURIComponent(host)}`, undefined, mv);
    expect(summary.status).toBe(200);
    const names = summary.body['manageable-volumes'].map((e: any) => e.reference['source-name']);
    expect(names).toContain('legacy-b');
    expect(names).toEqual([...names].sort().reverse()); // upstream's default: reference, descending
    expect(summary.body['manageable-volumes'][0]).not.toHaveProperty('cinder_id');
    const detail = await admin(
      'GET',
      `/manageable_volumes/detail?host=${encodeURIComponent(host)}`,
      undefined,
      mv,
    );
    const entries = detail.body['manageable-volumes'];
    expect(entries.find((e: any) => e.reference['source-name'] === 'legacy-a')).toEqual({
      reference: { 'source-name': 'legacy-a' },
      size: 3,
      safe_to_manage: true,
      reason_not_safe: null,
      cinder_id: null,
      extra_info: null,
    });
    expect(entries.some((e: any) => e.safe_to_manage === false && typeof e.cinder_id === 'string')).toBe(
      true,
    );
    const bySize = await admin('GET', `/os-volume-manage?host=${encodeURIComponent(host)}&sort=size:asc`);
    const sizes = bySize.body['manageable-volumes'].map((e: any) => e.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    const first = await admin(
      'GET',
      `/os-volume-manage?host=${encodeURIComponent(host)}&sort=size:desc&limit=1`,
    );
    expect(first.body['manageable-volumes']).toEqual([
      { reference: { 'source-name': 'legacy-a' }, size: 3, safe_to_manage: true },
    ]);
    const marker = encodeURIComponent(JSON.stringify({ 'source-name': 'legacy-a' }));
    const next = await admin(
      'GET',
      `/os-volume-manage?host=${encodeURIComponent(host)}&sort=size:desc&limit=1&marker=${marker}`,
    );
    expect(next.body['manageable-volumes'][0].size).toBeLessThanOrEqual(3);
    expect(next.body['manageable-volumes'][0].reference).not.toEqual({ 'source-name': 'legacy-a' });
  });

  it('refuses bad list parameters, unknown hosts, old microversions and non-admins', async () => {
    const h = encodeURIComponent(host);
    expect((await admin('GET', '/manageable_volumes', undefined, mv)).status).toBe(400);
    const badKey = await admin('GET', `/manageable_volumes?host=${h}&sort=name`, undefined, mv);
    expect(badKey.status).toBe(400);
    expect(badKey.body.badRequest.message).toMatch(/Invalid sort keys passed: name/);
    expect((await admin('GET', `/manageable_volumes?host=${h}&marker=notjson`, undefined, mv)).status).toBe(
      400,
    );
    expect((await admin('GET', '/manageable_volumes?host=nowhere@none', undefined, mv)).status).toBe(404);
    expect((await admin('GET', `/manageable_volumes?host=${h}`)).status).toBe(404);
    expect((await member('GET', `/manageable_volumes?host=${h}`, undefined, mv)).status).toBe(403);
  });

  it('manages a backend volume: managing → available with its size, counted in quota usage', async () => {
    const r = await admin(
      'POST',
      '/manageable_volumes',
      { volume: { host, ref: { 'source-name': 'legacy-a' }, name: 'adopted', bootable: true } },
      mv,
    );
    expect(r.status).toBe(202);
    expect(r.body.volume).toMatchObject({ name: 'adopted', status: 'managing', bootable: 'true' });
    const id = r.body.volume.id;
    await until(async () => (await status('volumes', id)) === 'available');
    const shown = (await admin('GET', `/volumes/${id}`)).body.volume;
    expect(shown.size).toBe(3);
    expect(shown['os-vol-host-attr:host']).toBe(host);
    const detail = await admin(
      'GET',
      `/manageable_volumes/detail?host=${encodeURIComponent(host)}`,
      undefined,
      mv,
    );
    expect(detail.body['manageable-volumes'].find((e: any) => e.cinder_id === id)?.safe_to_manage).toBe(
      false,
    );
  });

  it('ends in error_managing for a reference the backend does not have', async () => {
    const r = await admin('POST', '/os-volume-manage', { volume: { host, ref: { 'source-name': 'ghost' } } });
    expect(r.status).toBe(202);
    await until(async () => (await status('volumes', r.body.volume.id)) === 'error_managing');
    expect((await admin('DELETE', `/volumes/${r.body.volume.id}`)).status).toBe(202);
  });

  it('refuses a manage request without ref or host, or to an unknown host or type', async () => {
    const noHost = await admin('POST', '/os-volume-manage', {
      volume: { ref: { 'source-name': 'legacy-b' } },
    });
    expect(noHost.status).toBe(400);
    expect(noHost.body.badRequest.message).toMatch(/required: host/);
    expect((await admin('POST', '/os-volume-manage', { volume: { host } })).status).toBe(400);
    const ghostHost = { host: 'nowhere@none#p', ref: { 'source-name': 'legacy-b' } };
    expect((await admin('POST', '/os-volume-manage', { volume: ghostHost })).status).toBe(404);
    const ghostType = { host, ref: { 'source-name': 'legacy-b' }, volume_type: 'no-such-type' };
    expect((await admin('POST', '/os-volume-manage', { volume: ghostType })).status).toBe(404);
    const asMember = { host, ref: { 'source-name': 'legacy-b' } };
    expect((await member('POST', '/os-volume-manage', { volume: asMember })).status).toBe(403);
  });

  it('unmanages a volume (gone from the API, kept on the backend) and manages it back', async () => {
    const made = await admin('POST', '/volumes', { volume: { size: 2, name: 'round-trip' } });
    const id = made.body.volume.id;
    await until(async () => (await status('volumes', id)) === 'available');
    expect((await member('POST', `/volumes/${id}/action`, { 'os-unmanage': {} })).status).toBe(404);
    expect((await admin('POST', `/volumes/${id}/action`, { 'os-unmanage': {} })).status).toBe(202);
    await until(async () => (await admin('GET', `/volumes/${id}`)).status === 404);
    const back = await admin('POST', '/os-volume-manage', {
      volume: { host, ref: { 'source-name': `unmanaged-volume-${id}` }, name: 'back' },
    });
    await until(async () => (await status('volumes', back.body.volume.id)) === 'available');
    expect((await admin('GET', `/volumes/${back.body.volume.id}`)).body.volume.size).toBe(2);
  });

  it('shows volumes of an encrypted type as encrypted and refuses to unmanage them', async () => {
    const t = await admin('POST', '/types', { volume_type: { name: 'luks-type' } });
    const typeId = t.body.volume_type.id;
    const enc = await admin('POST', `/types/${typeId}/encryption`, {
      encryption: {
        provider: 'luks',
        cipher: 'aes-xts-plain64',
        key_size: 256,
        control_location: 'front-end',
      },
    });
    expect(enc.status).toBe(200);
    expect((await admin('GET', `/types/${typeId}/encryption`)).body).toMatchObject({
      provider: 'luks',
      key_size: 256,
    });
    const made = await admin('POST', '/volumes', { volume: { size: 1, volume_type: 'luks-type' } });
    const id = made.body.volume.id;
    await until(async () => (await status('volumes', id)) === 'available');
    expect((await admin('GET', `/volumes/${id}`)).body.volume.encrypted).toBe(true);
    const refused = await admin('POST', `/volumes/${id}/action`, { 'os-unmanage': {} });
    expect(refused.status).toBe(400);
    expect(refused.body.badRequest.message).toMatch(/Unmanaging encrypted volumes is not supported/);
    expect(await status('volumes', id)).toBe('available');
    // The type's encryption cannot change under its volumes.
    const encId = (await admin('GET', `/types/${typeId}/encryption`)).body.encryption_id;
    expect((await admin('DELETE', `/types/${typeId}/encryption/${encId}`)).status).toBe(400);
  });

  it('unmanages a snapshot and manages it back onto its volume, with name, description and metadata', async () => {
    const made = await admin('POST', '/volumes', { volume: { size: 1 } });
    const volumeId = made.body.volume.id;
    await until(async () => (await status('volumes', volumeId)) === 'available');
    const snap = await admin('POST', '/snapshots', { snapshot: { volume_id: volumeId } });
    await until(async () => (await status('snapshots', snap.body.snapshot.id)) === 'available');
    expect((await admin('POST', `/volumes/${volumeId}/action`, { 'os-unmanage': {} })).status).toBe(400);
    expect(
      (await admin('POST', `/snapshots/${snap.body.snapshot.id}/action`, { 'os-unmanage': {} })).status,
    ).toBe(202);
    await until(async () => (await admin('GET', `/snapshots/${snap.body.snapshot.id}`)).status === 404);
    const listed = await admin(
      'GET',
      `/manageable_snapshots/detail?host=${encodeURIComponent(host)}`,
      undefined,
      mv,
    );
    const entry = listed.body['manageable-snapshots'].find(
      (e: any) => e.reference['source-name'] === `unmanaged-snapshot-${snap.body.snapshot.id}`,
    );
    expect(entry).toMatchObject({
      safe_to_manage: true,
      size: 1,
      source_reference: { 'source-name': `volume-${volumeId}` },
    });
    const r = await admin('POST', '/os-snapshot-manage', {
      snapshot: {
        volume_id: volumeId,
        ref: entry.reference,
        name: 'managed',
        description: 'again',
        metadata: { k: 'v' },
      },
    });
    expect(r.status).toBe(202);
    expect(Object.keys(r.body.snapshot).sort()).toEqual(
      [
        'created_at',
        'description',
        'id',
        'metadata',
        'name',
        'size',
        'status',
        'updated_at',
        'volume_id',
      ].sort(),
    );
    await until(async () => (await status('snapshots', r.body.snapshot.id)) === 'available');
    const shown = (await admin('GET', `/snapshots/${r.body.snapshot.id}`)).body.snapshot;
    expect(shown).toMatchObject({
      volume_id: volumeId,
      name: 'managed',
      description: 'again',
      metadata: { k: 'v' },
    });
    const noVolume = await admin('POST', '/manageable_snapshots', { snapshot: { ref: entry.reference } }, mv);
    expect(noVolume.status).toBe(400);
    const ghost = { volume_id: '00000000-0000-0000-0000-000000000000', ref: entry.reference };
    expect((await admin('POST', '/manageable_snapshots', { snapshot: ghost }, mv)).status).toBe(404);
  });
});
