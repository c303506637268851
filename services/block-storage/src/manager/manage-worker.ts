import type { Logger } from '@nimbus/logging';
import type { SnapshotRecord, VolumeRecord } from '../db/records';
import type { Stores } from '../db/stores';
import type {
  ManageableSnapshot,
  ManageableVolume,
  ManageReference,
  SnapshotRef,
  VolumeRef,
} from '../drivers/driver-api';
import type { Caller } from './caller';
import { QuotaExceeded } from './cinder-errors';
import { cinderTime } from './clock';
import { MESSAGE_DETAILS, MESSAGE_EVENTS, type MessageManager } from './message-manager';
import type { QuotaDeltas } from './quota-manager';
import type { VolumeNotifier } from './volume-notifier';
import type { VolumeTypeManager } from './volume-type-manager';
import type { Backend } from './volume-worker';

/** Checks a project's quota for a change of usage; throws when it would go over. */
export type QuotaCheck = (projectId: string, deltas: QuotaDeltas, sizeGb?: number) => Promise<void>;

/**
 * The volume role's half of manage / unmanage (cinder-volume's `manage_existing` flows): asks the
 * driver the referenced object's size, checks the quota for it, adopts the object and records the
 * outcome (`available`, or `error_managing` / `error` with a user message). Lists what the
 * backends could manage, in upstream's entry shape.
 */
export class ManageWorker {
  constructor(
    private readonly stores: Stores,
    private readonly types: VolumeTypeManager,
    private readonly messages: MessageManager,
    private readonly notifier: VolumeNotifier,
    private readonly backends: Backend[],
    private readonly quotaCheck: QuotaCheck,
    private readonly logger: Logger,
  ) {}

  private backendOf(host: string | null): Backend | undefined {
    const h = host?.split('#')[0];
    return this.backends.find((b) => b.host === h);
  }

  private async volumeRef(v: VolumeRecord, sizeGb = v.size): Promise<VolumeRef> {
    const type = await this.types.byId(v.volume_type_id);
    return {
      id: v.id,
      sizeGb,
      providerLocation: v.provider_location,
      providerId: v.provider_id,
      volumeTypeExtraSpecs: type?.extra_specs ?? {},
    };
  }

  private snapRef(s: SnapshotRecord): SnapshotRef {
    return {
      id: s.id,
      volumeId: s.volume_id,
      volumeSizeGb: s.volume_size,
      providerLocation: s.provider_location,
      providerId: s.provider_id,
    };
  }

  /** Adopts `ref` as the `managing` volume; the volume ends `available` or `error_managing`. */
  async manageVolume(caller: Caller, volumeId: string, ref: ManageReference): Promise<void> {
    const v = await this.stores.volumes.get(volumeId);
    if (v?.status !== 'managing') return;
    const backend = this.backendOf(v.host);
    try {
      if (!backend?.up) throw new Error(`backend ${String(v.host)} is not up here`);
      const sizeGb = await backend.driver.manageExistingGetSize(ref);
      const type = await this.types.byId(v.volume_type_id);
      await this.quotaCheck(
        v.project_id,
        { gigabytes: sizeGb, ...(type ? { [`gigabytes_${type.name}`]: sizeGb } : {}) },
        sizeGb,
      );
      const update = await backend.driver.manageExisting(await this.volumeRef(v, sizeGb), ref);
      const done = await this.stores.volumes.update(
        v.id,
        (cur) => ({
          status: 'available',
          size: sizeGb,
          provider_location: update.providerLocation ?? cur.provider_location,
          provider_id: update.providerId ?? cur.provider_id,
          admin_metadata: { ...cur.admin_metadata, ...(update.metadata ?? {}) },
          launched_at: cinderTime(),
          updated_at: cinderTime(),
        }),
        ['managing'],
      );
      if (done) this.notifier.volume(caller, done, 'manage_existing.end');
    } catch (err) {
      this.logger.warn({ err, volume: v.id }, 'block-storage: manage existing volume failed');
      const failed = await this.stores.volumes.update(v.id, () => ({
        status: 'error_managing',
        updated_at: cinderTime(),
      }));
      await this.messages.record({
        projectId: v.project_id,
        requestId: caller.requestId,
        resourceType: 'VOLUME',
        resourceId: v.id,
        event: MESSAGE_EVENTS.createVolumeFromBackend,
        detail: isQuotaError(err) ? MESSAGE_DETAILS.quotaExceed : MESSAGE_DETAILS.unknownError,
      });
      if (failed) this.notifier.volume(caller, failed, 'manage_existing.end');
    }
  }

  /** Adopts `ref` as the `managing` snapshot; the snapshot ends `available` or `error`. */
  async manageSnapshot(caller: Caller, snapshotId: string, ref: ManageReference): Promise<void> {
    const s = await this.stores.snapshots.get(snapshotId);
    if (s?.status !== 'managing') return;
    const v = await this.stores.volumes.get(s.volume_id);
    const backend = this.backendOf(v?.host ?? null);
    try {
      if (!v || !backend?.up) throw new Error('volume or backend gone');
      const sizeGb = await backend.driver.manageExistingSnapshotGetSize(this.snapRef(s), ref);
      const type = await this.types.byId(s.volume_type_id);
      await this.quotaCheck(
        s.project_id,
        { gigabytes: sizeGb, ...(type ? { [`gigabytes_${type.name}`]: sizeGb } : {}) },
        sizeGb,
      );
      const update = await backend.driver.manageExistingSnapshot(
        { ...this.snapRef(s), volumeSizeGb: sizeGb },
        ref,
      );
      const done = await this.stores.snapshots.update(
        s.id,
        (cur) => ({
          status: 'available',
          progress: '100%',
          volume_size: sizeGb,
          provider_location: update.providerLocation ?? cur.provider_location,
          provider_id: update.providerId ?? cur.provider_id,
          updated_at: cinderTime(),
        }),
        ['managing'],
      );
      if (done) this.notifier.snapshot(caller, done, 'manage_existing_snapshot.end');
    } catch (err) {
      this.logger.warn({ err, snapshot: s.id }, 'block-storage: manage existing snapshot failed');
      await this.stores.snapshots.update(s.id, () => ({ status: 'error', updated_at: cinderTime() }));
      await this.messages.record({
        projectId: s.project_id,
        requestId: caller.requestId,
        resourceType: 'VOLUME_SNAPSHOT',
        resourceId: s.id,
        event: MESSAGE_EVENTS.snapshotCreate,
        detail: isQuotaError(err) ? MESSAGE_DETAILS.quotaExceed : MESSAGE_DETAILS.snapshotCreateError,
      });
    }
  }

  /** The backend's manageable volumes or snapshots under upstream's keys (unsorted). */
  async listManageable(host: string, kind: 'volume' | 'snapshot'): Promise<Record<string, unknown>[]> {
    const backend = this.backendOf(host);
    if (!backend?.up) throw new Error(`backend ${host} is not up here`);
    if (kind === 'volume') return (await backend.driver.getManageableVolumes()).map(entryView);
    return (await backend.driver.getManageableSnapshots()).map((e: ManageableSnapshot) => ({
      ...entryView(e),
      source_reference: e.sourceReference,
    }));
  }
}

function entryView(e: ManageableVolume): Record<string, unknown> {
  return {
    reference: e.reference,
    size: e.sizeGb,
    safe_to_manage: e.safeToManage,
    reason_not_safe: e.reasonNotSafe,
    cinder_id: e.cinderId,
    extra_info: e.extraInfo,
  };
}

function isQuotaError(err: unknown): boolean {
  return err instanceof QuotaExceeded;
}
