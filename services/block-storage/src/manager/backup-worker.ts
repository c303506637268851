import type { ObjectStoreClient } from '@nimbus/clients';
import type { Logger } from '@nimbus/logging';
import type { BackupDriver, BackupRecord } from '../backup-drivers/backup-driver-api';
import type { BackupRecordRow } from '../db/records';
import type { Stores } from '../db/stores';
import type { Caller } from './caller';
import { cinderTime } from './clock';
import { MESSAGE_DETAILS, MESSAGE_EVENTS, type MessageManager } from './message-manager';
import type { VolumeWorker } from './volume-worker';

/** Finds the volume role (in this process) that holds a volume's backend. */
export type VolumeWorkerLookup = (host: string | null) => VolumeWorker | undefined;

/**
 * The backup role (cinder-backup): reads the volume through its backend's raw access and hands
 * the bytes to the backup driver (object storage through its API, acting for the user, or a
 * POSIX directory); restores the same way. The volume role of the backend must run in the same
 * process (as upstream's backup service attaches the volume locally).
 */
export class BackupWorker {
  constructor(
    private readonly stores: Stores,
    private readonly driver: BackupDriver,
    private readonly workers: VolumeWorkerLookup,
    private readonly messages: MessageManager,
    private readonly objectStoreFor: (caller: Caller) => ObjectStoreClient | undefined,
    private readonly defaultContainer: string,
    private readonly logger: Logger,
  ) {}

  private record(b: BackupRecordRow): BackupRecord {
    return {
      id: b.id,
      volumeId: b.volume_id,
      container: b.container ?? this.defaultContainer,
      serviceMetadata: b.service_metadata,
      availabilityZone: b.availability_zone ?? undefined,
      sizeBytes: b.size * 2 ** 30,
      parentId: b.parent_id,
    };
  }

  private async chain(b: BackupRecordRow): Promise<BackupRecordRow[]> {
    const out = [b];
    let cur = b;
    while (cur.parent_id) {
      const parent = await this.stores.backups.get(cur.parent_id);
      if (!parent) break;
      out.unshift(parent);
      cur = parent;
    }
    return out;
  }

  async create(caller: Caller, backupId: string): Promise<void> {
    const b = await this.stores.backups.get(backupId);
    if (!b || b.status !== 'creating') return;
    const v = await this.stores.volumes.get(b.volume_id);
    const worker = this.workers(v?.host ?? null);
    try {
      if (!v || !worker) throw new Error(`volume ${b.volume_id} has no backend in this process`);
      const access = await worker.rawAccess(v.id, 'read');
      try {
        const parent = b.parent_id ? await this.stores.backups.get(b.parent_id) : undefined;
        const result = await this.driver.backup({
          backup: { ...this.record(b), ...(parent ? { parent: this.record(parent) } : {}) },
          source: { path: access.path, sizeBytes: access.sizeBytes },
          objectStore: this.objectStoreFor(caller),
        });
        await this.stores.backups.update(b.id, () => ({
          status: 'available',
          container: result.container,
          service_metadata: result.serviceMetadata,
          object_count: result.objectCount,
          updated_at: cinderTime(),
        }));
      } finally {
        await access.close();
      }
    } catch (err) {
      this.logger.warn({ err, backup: b.id }, 'block-storage: backup failed');
      await this.stores.backups.update(b.id, () => ({
        status: 'error',
        fail_reason: err instanceof Error ? err.message : String(err),
        updated_at: cinderTime(),
      }));
      await this.messages.record({
        projectId: b.project_id,
        requestId: caller.requestId,
        resourceType: 'VOLUME_BACKUP',
        resourceId: b.id,
        event: MESSAGE_EVENTS.backupCreate,
        detail: MESSAGE_DETAILS.backupCreateError,
      });
    } finally {
      await this.stores.volumes.update(
        b.volume_id,
        (cur) => ({
          status: cur.previous_status ?? 'available',
          previous_status: null,
          updated_at: cinderTime(),
        }),
        ['backing-up'],
      );
    }
  }

  async restore(caller: Caller, backupId: string, volumeId: string): Promise<void> {
    const b = await this.stores.backups.get(backupId);
    const v = await this.stores.volumes.get(volumeId);
    if (!b || !v) return;
    const worker = this.workers(v.host);
    try {
      if (!worker) throw new Error(`volume ${volumeId} has no backend in this process`);
      const access = await worker.rawAccess(v.id, 'write');
      try {
        const chain = await this.chain(b);
        await this.driver.restore({
          backup: this.record(b),
          chain: chain.map((x) => this.record(x)),
          target: { path: access.path, sizeBytes: access.sizeBytes },
          objectStore: this.objectStoreFor(caller),
        });
      } finally {
        await access.close();
      }
      // As upstream, the volume gets the backed-up volume's metadata back with its data.
      await this.stores.volumes.update(v.id, (cur) => ({
        status: 'available',
        metadata: { ...cur.metadata, ...(b.volume_metadata ?? {}) },
        image_metadata: { ...cur.image_metadata, ...(b.volume_image_metadata ?? {}) },
        bootable: b.volume_bootable ?? cur.bootable,
        updated_at: cinderTime(),
      }));
      await this.stores.backups.update(b.id, () => ({ status: 'available', updated_at: cinderTime() }));
    } catch (err) {
      this.logger.warn({ err, backup: b.id }, 'block-storage: restore failed');
      await this.stores.volumes.update(v.id, () => ({ status: 'error_restoring', updated_at: cinderTime() }));
      await this.stores.backups.update(b.id, () => ({ status: 'available', updated_at: cinderTime() }));
      await this.messages.record({
        projectId: b.project_id,
        requestId: caller.requestId,
        resourceType: 'VOLUME_BACKUP',
        resourceId: b.id,
        event: MESSAGE_EVENTS.backupRestore,
        detail: MESSAGE_DETAILS.backupRestoreError,
      });
    }
  }

  async delete(caller: Caller, backupId: string): Promise<void> {
    const b = await this.stores.backups.get(backupId);
    if (!b || b.status !== 'deleting') return;
    try {
      if (b.service_metadata || b.object_count) {
        await this.driver.delete({ backup: this.record(b), objectStore: this.objectStoreFor(caller) });
      }
      await this.stores.backups.delete(b.id);
    } catch (err) {
      this.logger.warn({ err, backup: b.id }, 'block-storage: backup delete failed');
      await this.stores.backups.update(b.id, () => ({ status: 'error_deleting', updated_at: cinderTime() }));
      await this.messages.record({
        projectId: b.project_id,
        requestId: caller.requestId,
        resourceType: 'VOLUME_BACKUP',
        resourceId: b.id,
        event: MESSAGE_EVENTS.backupDelete,
        detail: MESSAGE_DETAILS.backupDeleteError,
      });
    }
  }
}
