import { mkdtempSync } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockStorageCloud, type Caller, until } from './block-storage-cloud';

// Two file backends in one cloud: volume types steer placement by volume_backend_name, and a
// volume moves between them by os-migrate_volume or by os-retype with migration_policy
// on-demand, its bytes copied (checked on disk) and the source file removed.
describe('block-storage API: two backends, migration and retype', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-bs-migrate-'));
  const types: Record<string, string> = {};

  beforeAll(async () => {
    ({ cloud, admin, member } = await blockStorageCloud({
      blockStorage: { enabled_backends: ['file-a:file', 'file-b:file'] },
      dataDir,
    }));
    for (const backend of ['file-a', 'file-b']) {
      const t = await admin('POST', '/types', {
        volume_type: { name: `on-${backend}`, extra_specs: { volume_backend_name: backend } },
      });
      types[backend] = t.body.volume_type.id;
    }
  }, 60_000);
  afterAll(async () => {
    await cloud?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const show = async (id: string) => (await admin('GET', `/volumes/${id}`)).body.volume;
  /** The file of a volume on a backend (`host@backend#pool` → its directory). */
  const fileOf = (host: string, id: string) => {
    const [node = '', rest = ''] = host.split('@');
    return join(dataDir, 'block-storage', node, rest.split('#')[0] ?? '', `volume-${id}.raw`);
  };
  const exists = (path: string) =>
    stat(path).then(
      () => true,
      () => false,
    );

  const made = async (type: string) => {
    const r = await member('POST', '/volumes', {
      volume: { size: 1, volume_type: type, name: `on-${type}` },
    });
    await until(async () => (await show(r.body.volume.id)).status === 'available');
    return show(r.body.volume.id);
  };

  it('places volumes on the backend their type names', async () => {
    const a = await made('on-file-a');
    const b = await made('on-file-b');
    expect(a['os-vol-host-attr:host']).toMatch(/@file-a#/);
    expect(b['os-vol-host-attr:host']).toMatch(/@file-b#/);
  });

  it('migrates a volume to the other backend with its bytes, and removes the source file', async () => {
    // A type naming no backend: os-migrate_volume still runs the scheduler's filters on the destination.
    const v = await made('__DEFAULT__');
    const from = v['os-vol-host-attr:host'];
    const [other, otherPool] = from.includes('@file-a#') ? ['@file-b', 'file-b'] : ['@file-a', 'file-a'];
    const handle = await open(fileOf(from, v.id), 'r+');
    await handle.write(Buffer.from('nimbus-migration-bytes'), 0, 22, 5 * 1024 * 1024);
    await handle.close();
    const dest = from.replace(/@.*$/, other);
    const r = await admin('POST', `/volumes/${v.id}/action`, {
      'os-migrate_volume': { host: dest, force_host_copy: false, lock_volume: true },
    });
    expect(r.status).toBe(202);
    await until(async () => (await show(v.id)).migration_status === 'success');
    const after = await show(v.id);
    expect(after['os-vol-host-attr:host']).toBe(`${dest}#${otherPool}`);
    expect(after.status).toBe('available');
    expect(after['os-vol-mig-status-attr:migstat']).toBe('success');
    const moved = fileOf(after['os-vol-host-attr:host'], v.id);
    expect((await stat(moved)).size).toBe(1024 ** 3);
    const reader = await open(moved, 'r');
    const bytes = Buffer.alloc(22);
    await reader.read(bytes, 0, 22, 5 * 1024 * 1024);
    await reader.close();
    expect(bytes.toString()).toBe('nimbus-migration-bytes');
    await until(async () => !(await exists(fileOf(from, v.id))));
    // A finished migration does not hold the volume (regression: delete refused after success).
    expect((await admin('DELETE', `/volumes/${v.id}`)).status).toBe(202);
    await until(async () => (await admin('GET', `/volumes/${v.id}`)).status === 404);
    expect(await exists(moved)).toBe(false);
  });

  it('refuses migrations to the same or an unknown host, with snapshots, and from non-admins', async () => {
    const v = await made('on-file-a');
    const host = v['os-vol-host-attr:host'];
    const typed = await admin('POST', `/volumes/${v.id}/action`, {
      'os-migrate_volume': { host: host.replace('@file-a#file-a', '@file-b') },
    });
    expect(typed.status).toBe(400);
    expect(typed.body.badRequest.message).toMatch(/No valid backend/);
    const same = await admin('POST', `/volumes/${v.id}/action`, { 'os-migrate_volume': { host } });
    expect(same.status).toBe(400);
    expect(same.body.badRequest.message).toMatch(/different than the current host/);
    const ghost = await admin('POST', `/volumes/${v.id}/action`, { 'os-migrate_volume': { host: 'x@y#z' } });
    expect(ghost.status).toBe(400);
    expect((await admin('POST', `/volumes/${v.id}/action`, { 'os-migrate_volume': {} })).status).toBe(400);
    const dest = host.replace('@file-a#file-a', '@file-b');
    expect(
      (await member('POST', `/volumes/${v.id}/action`, { 'os-migrate_volume': { host: dest } })).status,
    ).toBe(403);
    const snap = await member('POST', '/snapshots', { snapshot: { volume_id: v.id } });
    await until(
      async () =>
        (await admin('GET', `/snapshots/${snap.body.snapshot.id}`)).body.snapshot.status === 'available',
    );
    const withSnap = await admin('POST', `/volumes/${v.id}/action`, { 'os-migrate_volume': { host: dest } });
    expect(withSnap.status).toBe(400);
    expect(withSnap.body.badRequest.message).toMatch(/snapshots/);
  });

  it('retypes across backends only with migration_policy on-demand, moving the volume', async () => {
    const v = await made('on-file-a');
    const never = await member('POST', `/volumes/${v.id}/action`, { 'os-retype': { new_type: 'on-file-b' } });
    expect(never.status).toBe(400);
    expect(never.body.badRequest.message).toMatch(/Retype requires migration but is not allowed/);
    const r = await member('POST', `/volumes/${v.id}/action`, {
      'os-retype': { new_type: 'on-file-b', migration_policy: 'on-demand' },
    });
    expect(r.status).toBe(202);
    await until(async () => (await show(v.id)).volume_type === 'on-file-b');
    const after = await show(v.id);
    expect(after).toMatchObject({ status: 'available', migration_status: 'success' });
    expect(after['os-vol-host-attr:host']).toMatch(/@file-b#/);
    expect(await exists(fileOf(after['os-vol-host-attr:host'], v.id))).toBe(true);
    // The source goes once the record points at the destination (as upstream's cleanup after completion).
    await until(async () => !(await exists(fileOf(v['os-vol-host-attr:host'], v.id))));
  });

  it('retypes in place when the pool fits the new type', async () => {
    await admin('POST', '/types', {
      volume_type: { name: 'plain-b', extra_specs: { volume_backend_name: 'file-b' } },
    });
    const v = await made('on-file-b');
    const r = await member('POST', `/volumes/${v.id}/action`, { 'os-retype': { new_type: 'plain-b' } });
    expect(r.status).toBe(202);
    const after = await show(v.id);
    expect(after.volume_type).toBe('plain-b');
    expect(after['os-vol-host-attr:host']).toBe(v['os-vol-host-attr:host']);
    expect(after.migration_status).toBeNull();
  });

  it('answers os-migrate_volume_completion for a volume not mid-migration', async () => {
    const a = await made('on-file-a');
    const b = await made('on-file-b');
    await admin('POST', `/volumes/${a.id}/action`, { 'os-reset_status': { migration_status: 'migrating' } });
    const r = await admin('POST', `/volumes/${a.id}/action`, {
      'os-migrate_volume_completion': { new_volume: b.id, error: false },
    });
    expect(r.status).toBe(400);
    expect(r.body.badRequest.message).toMatch(/Destination volume not mid-migration/);
  });
});
