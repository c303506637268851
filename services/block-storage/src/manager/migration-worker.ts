import type { Logger } from '@nimbus/logging';
import type { VolumeRecord } from '../db/records';
import type { Stores } from '../db/stores';
import type { VolumeRef } from '../drivers/driver-api';
import type { Caller } from './caller';
import { cinderTime } from './clock';
import { copyRaw } from './raw-copy';
import type { VolumeNotifier } from './volume-notifier';
import type { VolumeTypeManager } from './volume-type-manager';
import type { Backend } from './volume-worker';

/** Finds a backend of this process by `host@backend` (the volume roles' shared map). */
export type BackendLookup = (host: string) => Backend | undefined;

/**
 * The volume role's generic migration (upstream's host-assisted `_migrate_volume_generic`): makes
 * the volume on the destination backend under the same id, copies its bytes through both
 * drivers' raw access (all-zero chunks skipped), then points the record at the destination and
 * removes the source data. The record moves in one update, so the volume is never seen on a
 * host that does not hold it. `migration_status`: migrating → success, or error (the
 * destination copy removed, the volume left where it was). A retype (`newTypeId`) takes the new
 * type in that same update.
 */
export class MigrationWorker {
  constructor(
    private readonly stores: Stores,
    private readonly types: VolumeTypeManager,
    private readonly notifier: VolumeNotifier,
    private readonly lookup: BackendLookup,
    private readonly logger: Logger,
  ) {}

  private async ref(v: VolumeRecord, typeId = v.volume_type_id): Promise<VolumeRef> {
    const type = await this.types.byId(typeId);
    return {
      id: v.id,
      sizeGb: v.size,
      providerLocation: v.provider_location,
      providerId: v.provider_id,
      volumeTypeExtraSpecs: type?.extra_specs ?? {},
    };
  }

  async migrate(caller: Caller, volumeId: string, destHost: string, newTypeId: string | null): Promise<void> {
    const v = await this.stores.volumes.get(volumeId);
    if (v?.migration_status !== 'starting') return;
    const source = this.lookup(String(v.host).split('#')[0] ?? '');
    const dest = this.lookup(destHost.split('#')[0] ?? '');
    await this.stores.volumes.update(v.id, () => ({
      migration_status: 'migrating',
      updated_at: cinderTime(),
    }));
    const destRef = await this.ref(v, newTypeId ?? v.volume_type_id);
    let made = false;
    try {
      if (!source?.up) throw new Error(`source backend ${String(v.host)} is not in this process or down`);
      if (!dest?.up) throw new Error(`destination backend ${destHost} is not in this process or down`);
      const update = await dest.driver.createVolume(destRef);
      made = true;
      const from = await source.driver.openForBackup(await this.ref(v));
      try {
        const to = await dest.driver.openForRestore({
          ...destRef,
          providerLocation: update.providerLocation ?? null,
        });
        try {
          await copyRaw(from.path, to.path, Math.min(from.sizeBytes, to.sizeBytes));
        } finally {
          await to.close();
        }
      } finally {
        await from.close();
      }
      const done = await this.stores.volumes.update(v.id, (cur) => ({
        host: destHost,
        provider_location: update.providerLocation ?? null,
        provider_id: update.providerId ?? null,
        admin_metadata: { ...cur.admin_metadata, ...(update.metadata ?? {}) },
        volume_type_id: newTypeId ?? cur.volume_type_id,
        migration_status: 'success',
        status: cur.previous_status ?? 'available',
        previous_status: null,
        updated_at: cinderTime(),
      }));
      await source.driver.deleteVolume(await this.ref(v)).catch((err: unknown) => {
        this.logger.warn({ err, volume: v.id }, 'block-storage: migrated volume source left behind');
      });
      if (done) this.notifier.volume(caller, done, newTypeId ? 'retype' : 'migrate.end');
    } catch (err) {
      this.logger.warn({ err, volume: v.id, dest: destHost }, 'block-storage: volume migration failed');
      if (made) await dest?.driver.deleteVolume(destRef).catch(() => undefined);
      await this.stores.volumes.update(v.id, (cur) => ({
        migration_status: 'error',
        status: cur.previous_status ?? 'available',
        previous_status: null,
        updated_at: cinderTime(),
      }));
    }
  }
}
