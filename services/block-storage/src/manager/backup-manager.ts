import { randomUUID } from 'node:crypto';
import type { BackupRecordRow } from '../db/records';
import type { Stores } from '../db/stores';
import { type Caller, rpcContext } from './caller';
import { CinderInvalid, CinderNotFound, InvalidBackup, InvalidVolume } from './cinder-errors';
import { cinderTime } from './clock';
import type { QuotaManager } from './quota-manager';
import type { BlockStorageRpc, VolumeManager } from './volume-manager';

/** Backups, the API side: checks, quota and records; the backup role moves the bytes. */
export class BackupManager {
  constructor(
    private readonly stores: Stores,
    private readonly volumes: VolumeManager,
    private readonly quotas: QuotaManager,
    private readonly rpc: BlockStorageRpc,
    private readonly options: { enabled: boolean; defaultContainer: string; serviceName: string },
  ) {}

  private checkEnabled(): void {
    if (!this.options.enabled)
      throw new InvalidBackup('Backup service is not enabled ([block_storage] backup_driver = none).');
  }

  async get(caller: Caller, id: string): Promise<BackupRecordRow> {
    const b = await this.stores.backups.get(id);
    if (!b || (!caller.isAdmin && b.project_id !== caller.projectId)) throw new CinderNotFound('Backup', id);
    return b;
  }

  async list(caller: Caller, allProjects: boolean, projectId?: string): Promise<BackupRecordRow[]> {
    if (caller.isAdmin && allProjects) return this.stores.backups.list(projectId ? { projectId } : {});
    return this.stores.backups.list({ projectId: caller.projectId });
  }

  async hasDependents(id: string): Promise<boolean> {
    return (await this.stores.backups.list()).some((b) => b.parent_id === id);
  }

  async create(
    caller: Caller,
    input: {
      volume_id: string;
      container?: string | null;
      name?: string | null;
      description?: string | null;
      incremental?: boolean;
      force?: boolean;
      snapshot_id?: string | null;
      metadata?: Record<string, string>;
      availability_zone?: string | null;
    },
  ): Promise<BackupRecordRow> {
    this.checkEnabled();
    const v = await this.volumes.get(caller, input.volume_id);
    const ok = input.force ? ['available', 'in-use'] : ['available'];
    if (!ok.includes(v.status)) {
      throw new InvalidVolume(
        `Volume to be backed up must be available or in-use, but the current status is "${v.status}".`,
      );
    }
    if (input.snapshot_id) {
      const s = await this.stores.snapshots.get(input.snapshot_id);
      if (!s || s.volume_id !== v.id) throw new CinderNotFound('Snapshot', input.snapshot_id);
      if (s.status !== 'available')
        throw new CinderInvalid(
          `Invalid snapshot: Snapshot to be backed up must be available, but the current status is "${s.status}".`,
        );
    }
    let parent: BackupRecordRow | undefined;
    if (input.incremental) {
      // The parent is the caller's project's latest backup of the volume: another project's
      // backups (an admin's of a user's volume, or the reverse) are not the caller's to chain.
      parent = (await this.stores.backups.byParent([v.id]))
        .filter((b) => b.status === 'available' && b.project_id === caller.projectId)
        .sort((a, b) => (a.data_timestamp < b.data_timestamp ? 1 : -1))[0];
      if (!parent) throw new InvalidBackup('No backups available to do an incremental backup.');
    }
    // A backup belongs to the project that makes it (an admin's backup of a user's volume is the
    // admin's), and counts against that project's quota, as in Cinder.
    await this.quotas.check(caller.projectId, { backups: 1, backup_gigabytes: v.size });
    const now = cinderTime();
    const b: BackupRecordRow = {
      id: randomUUID(),
      project_id: caller.projectId,
      user_id: caller.userId,
      status: 'creating',
      name: input.name ?? null,
      description: input.description ?? null,
      volume_id: v.id,
      snapshot_id: input.snapshot_id ?? null,
      size: v.size,
      object_count: 0,
      container: input.container ?? null,
      availability_zone: input.availability_zone ?? v.availability_zone,
      is_incremental: !!parent,
      parent_id: parent?.id ?? null,
      fail_reason: null,
      service_metadata: null,
      service: this.options.serviceName,
      data_timestamp: now,
      metadata: input.metadata ?? {},
      encryption_key_id: null,
      restore_volume_id: null,
      volume_metadata: { ...v.metadata },
      volume_image_metadata: { ...v.image_metadata },
      volume_bootable: v.bootable,
      created_at: now,
      updated_at: now,
    };
    await this.volumes.transition(
      v.id,
      ok,
      { status: 'backing-up', previous_status: v.status },
      (cur) =>
        `Volume to be backed up must be available or in-use, but the current status is "${cur.status}".`,
    );
    await this.stores.backups.insert(b);
    await this.rpc.backup.cast.create_backup(rpcContext(caller, true), { backup_id: b.id });
    return b;
  }

  async update(
    caller: Caller,
    id: string,
    change: { name?: string | null; description?: string | null; metadata?: Record<string, string> },
  ) {
    await this.get(caller, id);
    const b = await this.stores.backups.update(id, () => ({ ...change, updated_at: cinderTime() }));
    if (!b) throw new CinderNotFound('Backup', id);
    return b;
  }

  async delete(caller: Caller, id: string, force = false): Promise<void> {
    this.checkEnabled();
    const b = await this.get(caller, id);
    const ok = force
      ? ['available', 'error', 'creating', 'restoring', 'error_deleting']
      : ['available', 'error'];
    if (!ok.includes(b.status)) {
      throw new InvalidBackup(
        `Backup status must be available or error, but the current status is "${b.status}".`,
      );
    }
    if (await this.hasDependents(id)) throw new InvalidBackup('Incremental backups exist for this backup.');
    await this.stores.backups.update(id, () => ({ status: 'deleting', updated_at: cinderTime() }));
    await this.rpc.backup.cast.delete_backup(rpcContext(caller, true), { backup_id: id });
  }

  /** Restores into `volume_id`, or into a new volume of the backup's size. */
  async restore(caller: Caller, id: string, input: { volume_id?: string | null; name?: string | null }) {
    this.checkEnabled();
    const b = await this.get(caller, id);
    if (b.status !== 'available') {
      throw new InvalidBackup(`Backup status must be available, but the current status is "${b.status}".`);
    }
    let volumeId = input.volume_id ?? undefined;
    if (!volumeId) {
      const created = await this.volumes.create(caller, {
        size: b.size,
        name: input.name ?? `restore_backup_${b.id}`,
        description: `auto-created_from_restore_from_backup`,
        availability_zone: b.availability_zone,
      });
      volumeId = created.id;
      await this.waitAvailable(volumeId);
    }
    const v = await this.volumes.get(caller, volumeId);
    if (v.status !== 'available') {
      throw new InvalidVolume(
        `Volume to be restored to must be available, but the current status is "${v.status}".`,
      );
    }
    if (v.size < b.size) {
      throw new InvalidVolume(`volume size ${v.size}GB is too small to restore backup of size ${b.size}GB.`);
    }
    await this.volumes.transition(
      v.id,
      ['available'],
      { status: 'restoring-backup' },
      (cur) => `Volume to be restored to must be available, but the current status is "${cur.status}".`,
    );
    await this.stores.backups.update(id, () => ({
      status: 'restoring',
      restore_volume_id: v.id,
      updated_at: cinderTime(),
    }));
    await this.rpc.backup.cast.restore_backup(rpcContext(caller, true), { backup_id: id, volume_id: v.id });
    return { backup_id: id, volume_id: v.id, volume_name: v.name ?? '' };
  }

  private async waitAvailable(volumeId: string): Promise<void> {
    for (let i = 0; i < 600; i++) {
      const v = await this.stores.volumes.get(volumeId);
      if (v?.status === 'available') return;
      if (!v || v.status === 'error')
        throw new InvalidVolume('The volume created for the restore ended in error.');
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new InvalidVolume('The volume created for the restore did not become available in time.');
  }

  async resetStatus(caller: Caller, id: string, status: string): Promise<void> {
    await this.get(caller, id);
    if (!['available', 'error'].includes(status))
      throw new CinderInvalid(`Invalid input received: status ${status} is not allowed.`);
    await this.stores.backups.update(id, () => ({ status, updated_at: cinderTime() }));
  }

  /** `GET /backups/{id}/export_record`: the record, base64 JSON, as upstream's backup_url. */
  async exportRecord(caller: Caller, id: string) {
    const b = await this.get(caller, id);
    if (b.status !== 'available')
      throw new InvalidBackup(`Backup status must be available and not ${b.status}.`);
    return { backup_service: b.service, backup_url: Buffer.from(JSON.stringify(b)).toString('base64') };
  }

  async importRecord(caller: Caller, service: string, url: string): Promise<BackupRecordRow> {
    this.checkEnabled();
    let rec: BackupRecordRow;
    try {
      rec = JSON.parse(Buffer.from(url, 'base64').toString('utf8')) as BackupRecordRow;
    } catch {
      throw new CinderInvalid("Invalid input received: Can't parse backup record.");
    }
    if (!rec?.id || !rec.volume_id)
      throw new CinderInvalid("Invalid input received: Can't parse backup record.");
    if (service !== rec.service)
      throw new CinderInvalid(`Invalid input received: backup service ${service} is not the record's.`);
    const existing = await this.stores.backups.get(rec.id);
    if (existing && existing.status !== 'deleted')
      throw new InvalidBackup('Backup already exists in database.');
    const now = cinderTime();
    const b: BackupRecordRow = {
      ...rec,
      project_id: caller.projectId,
      status: 'available',
      created_at: now,
      updated_at: now,
    };
    await this.stores.backups.insert(b);
    return b;
  }
}
