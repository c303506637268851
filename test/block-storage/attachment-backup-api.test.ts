import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockStorageCloud, type Caller, until } from './block-storage-cloud';

const V = (v: string) => ({ 'openstack-api-version': `volume ${v}` });

// Attachments (3.27+ and legacy), multiattach rules, state-machine refusals, transfers,
// backups to a POSIX directory, user messages and a backend failing mid-create.
describe('block-storage API: attachments, backups, transfers, failures', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;

  beforeAll(async () => {
    ({ cloud, admin, member } = await blockStorageCloud());
  }, 60_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  const newVolume = async (body: Record<string, unknown> = {}) => {
    const v = (await member('POST', '/volumes', { volume: { size: 1, ...body } })).body.volume;
    await until(async () => (await member('GET', `/volumes/${v.id}`)).body.volume.status === 'available');
    return v.id as string;
  };
  const status = async (id: string) => (await member('GET', `/volumes/${id}`)).body.volume.status;

  it('attaches through the attachments API and refuses a second attach of a non-multiattach volume', async () => {
    const id = await newVolume();
    const a = await member(
      'POST',
      '/attachments',
      { attachment: { volume_uuid: id, instance_uuid: crypto.randomUUID() } },
      V('3.44'),
    );
    expect(a.status).toBe(200);
    expect(a.body.attachment.status).toBe('reserved');
    expect(await status(id)).toBe('reserved');
    const twice = await member(
      'POST',
      '/attachments',
      { attachment: { volume_uuid: id, instance_uuid: crypto.randomUUID() } },
      V('3.44'),
    );
    expect(twice.status).toBe(400);
    const upd = await member(
      'PUT',
      `/attachments/${a.body.attachment.id}`,
      { attachment: { connector: { host: 'node1', initiator: 'x' } } },
      V('3.44'),
    );
    expect(upd.status).toBe(200);
    expect(upd.body.attachment.connection_info).toMatchObject({ driver_volume_type: expect.any(String) });
    expect(
      (
        await member(
          'POST',
          `/attachments/${a.body.attachment.id}/action`,
          { 'os-complete': null },
          V('3.44'),
        )
      ).status,
    ).toBe(204);
    expect(await status(id)).toBe('in-use');
    // An attached volume cannot be deleted, nor snapshotted without force.
    expect((await member('DELETE', `/volumes/${id}`)).status).toBe(400);
    expect((await member('POST', '/snapshots', { snapshot: { volume_id: id } })).status).toBe(400);
    const shown = (await member('GET', `/volumes/${id}`)).body.volume;
    expect(shown.attachments).toHaveLength(1);
    expect(
      (await member('DELETE', `/attachments/${a.body.attachment.id}`, undefined, V('3.44'))).status,
    ).toBe(200);
    expect(await status(id)).toBe('available');
  });

  it('runs the legacy reserve / attach / detach flow and read-only flag', async () => {
    const id = await newVolume();
    expect((await member('POST', `/volumes/${id}/action`, { 'os-reserve': null })).status).toBe(202);
    expect(await status(id)).toBe('attaching');
    expect((await member('POST', `/volumes/${id}/action`, { 'os-unreserve': null })).status).toBe(202);
    expect(await status(id)).toBe('available');
    expect(
      (await member('POST', `/volumes/${id}/action`, { 'os-update_readonly_flag': { readonly: true } }))
        .status,
    ).toBe(202);
    expect((await member('GET', `/volumes/${id}`)).body.volume.metadata.readonly).toBe('True');
    const attach = await member('POST', `/volumes/${id}/action`, {
      'os-attach': { instance_uuid: crypto.randomUUID(), mountpoint: '/dev/vdb', mode: 'ro' },
    });
    expect(attach.status).toBe(202);
    expect(await status(id)).toBe('in-use');
    expect((await member('POST', `/volumes/${id}/action`, { 'os-begin_detaching': null })).status).toBe(202);
    expect((await member('POST', `/volumes/${id}/action`, { 'os-detach': {} })).status).toBe(202);
    expect(await status(id)).toBe('available');
  });

  it('transfers a volume to another project, and refuses to delete it while offered', async () => {
    const id = await newVolume();
    const offer = await member('POST', '/os-volume-transfer', { transfer: { volume_id: id, name: 't' } });
    expect(offer.status).toBe(202);
    expect(await status(id)).toBe('awaiting-transfer');
    expect((await member('DELETE', `/volumes/${id}`)).status).toBe(400);
    const wrong = await admin('POST', `/os-volume-transfer/${offer.body.transfer.id}/accept`, {
      accept: { auth_key: 'nope' },
    });
    expect(wrong.status).toBe(400);
    const ok = await admin('POST', `/os-volume-transfer/${offer.body.transfer.id}/accept`, {
      accept: { auth_key: offer.body.transfer.auth_key },
    });
    expect(ok.status).toBe(202);
    expect((await member('GET', `/volumes/${id}`)).status).toBe(404);
    expect((await admin('GET', `/volumes/${id}`)).body.volume.status).toBe('available');
  });

  it('backs up (full and incremental) to a directory, restores, and deletes in order', async () => {
    const id = await newVolume();
    const full = await member('POST', '/backups', { backup: { volume_id: id, name: 'full' } });
    expect(full.status).toBe(202);
    const fullId = full.body.backup.id;
    await until(
      async () => (await member('GET', `/backups/${fullId}`)).body.backup.status === 'available',
      180,
    );
    expect(await status(id)).toBe('available');
    // Another project's backup is no parent: the admin has none of this volume to build on.
    const foreign = await admin('POST', '/backups', { backup: { volume_id: id, incremental: true } });
    expect(foreign.status).toBe(400);
    expect(foreign.body.badRequest.message).toMatch(/No backups available to do an incremental backup/);
    const inc = await member('POST', '/backups', { backup: { volume_id: id, incremental: true } });
    await until(
      async () => (await member('GET', `/backups/${inc.body.backup.id}`)).body.backup.status === 'available',
      180,
    );
    expect((await member('GET', `/backups/${inc.body.backup.id}`)).body.backup.is_incremental).toBe(true);
    expect((await member('GET', `/backups/${fullId}`)).body.backup.has_dependent_backups).toBe(true);
    expect((await member('DELETE', `/backups/${fullId}`)).status).toBe(400);
    const restore = await member('POST', `/backups/${inc.body.backup.id}/restore`, { restore: {} });
    expect(restore.status).toBe(202);
    await until(async () => (await status(restore.body.restore.volume_id)) === 'available', 180);
    expect((await member('DELETE', `/backups/${inc.body.backup.id}`)).status).toBe(202);
    await until(async () => (await member('GET', `/backups/${inc.body.backup.id}`)).status === 404, 60);
    expect((await member('DELETE', `/backups/${fullId}`)).status).toBe(202);
  }, 600_000);

  it('puts a volume in error with a user message when no backend fits', async () => {
    const t = await admin('POST', '/types', {
      volume_type: { name: 'nowhere', extra_specs: { volume_backend_name: 'none' } },
    });
    const v = (await member('POST', '/volumes', { volume: { size: 1, volume_type: t.body.volume_type.id } }))
      .body.volume;
    await until(async () => (await status(v.id)) === 'error');
    const messages = await member('GET', `/messages?resource_uuid=${v.id}`, undefined, V('3.3'));
    expect(messages.body.messages[0]).toMatchObject({
      resource_type: 'VOLUME',
      user_message: 'schedule allocate volume: Could not find any available weighted backend.',
    });
    expect((await member('DELETE', `/volumes/${v.id}`)).status).toBe(202);
  });
});

describe('block-storage API: a backend that fails mid-create', () => {
  let cloud: TestCloud;
  let member: Caller;

  beforeAll(async () => {
    ({ cloud, member } = await blockStorageCloud({ blockStorage: { fake_fail: ['createVolume'] } }));
  }, 60_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('ends the volume in error with the driver user message', async () => {
    const v = (await member('POST', '/volumes', { volume: { size: 1 } })).body.volume;
    await until(async () => (await member('GET', `/volumes/${v.id}`)).body.volume.status === 'error');
    const messages = await member('GET', '/messages', undefined, V('3.3'));
    expect(messages.body.messages.map((m: any) => m.user_message)).toContain(
      'create volume from backend storage: Driver failed to create the volume.',
    );
  });
});
