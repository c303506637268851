import type { Logger } from '@nimbus/logging';
import type { SnapshotRecord, VolumeRecord } from '../db/records';
import type { Stores } from '../db/stores';
import type { PoolStats, SnapshotRef, VolumeDriver, VolumeRef } from '../drivers/driver-api';
import { ImageFormatMismatch } from '../drivers/driver-api';
import type { Caller } from './caller';
import { cinderTime } from './clock';
import { MESSAGE_DETAILS, MESSAGE_EVENTS, type MessageManager } from './message-manager';
import { reportService } from './service-reporter';
import type { VolumeNotifier } from './volume-notifier';
import type { VolumeTypeManager } from './volume-type-manager';

/** One backend this volume role serves: `host@backend`, and its driver. */
export interface Backend {
  /** `host@backend`. */
  host: string;
  name: string;
  driver: VolumeDriver;
  up: boolean;
}

/** How the worker reads an image's bytes for the caller (the image service, through its client). */
export type ImageReader = (
  caller: Caller,
  imageId: string,
) => Promise<{
  stream: import('node:stream').Readable;
  diskFormat: string;
  containerFormat: string;
  sizeBytes?: number;
}>;

/**
 * Tells compute that volumes attached to its servers have grown (Nova's `volume-extended`
 * external event, microversion 2.51): the answer per server, `code` 200 when delivered.
 */
export type ExtendNotifier = (
  serverIds: string[],
  volumeId: string,
) => Promise<{ server_uuid: string; code: number }[]>;

/**
 * The volume role (cinder-volume): runs the driver calls for the volumes scheduled to its
 * backends, outside any transaction, and records the outcome (`available`, `error` with a user
 * message...). It reports its pools periodically for the scheduler.
 */
export class VolumeWorker {
  constructor(
    private readonly stores: Stores,
    private readonly types: VolumeTypeManager,
    private readonly messages: MessageManager,
    private readonly notifier: VolumeNotifier,
    readonly backends: Backend[],
    private readonly zone: string,
    private readonly logger: Logger,
    private readonly readImage?: ImageReader,
    private readonly notifyExtended?: ExtendNotifier,
  ) {}

  /** Initialises every backend; a failing one stays down (its pools are not reported). */
  async init(): Promise<void> {
    for (const b of this.backends) {
      try {
        await b.driver.init();
        b.up = true;
      } catch (err) {
        b.up = false;
        this.logger.error({ err, backend: b.host }, 'block-storage: volume backend failed to initialise');
      }
    }
    await this.reportPools();
  }

  /** Reports each backend's pools (Cinder's `_report_driver_status`). */
  async reportPools(): Promise<void> {
    for (const b of this.backends) {
      let pools: PoolStats[] = [];
      if (b.up) {
        try {
          pools = await b.driver.getPools();
        } catch (err) {
          this.logger.warn({ err, backend: b.host }, 'block-storage: pool stats failed');
        }
      }
      await reportService(this.stores, {
        binary: 'cinder-volume',
        host: b.host,
        zone: this.zone,
        up: b.up,
        pools: pools.map((p) => ({ name: p.name, stats: upstreamStats(p) })),
        capabilities: pools[0] ? upstreamStats(pools[0]) : {},
      });
    }
  }

  private backendOf(host: string | null): Backend | undefined {
    const h = host?.split('#')[0];
    return this.backends.find((b) => b.host === h);
  }

  private async ref(v: VolumeRecord): Promise<VolumeRef> {
    const type = await this.types.byId(v.volume_type_id);
    return {
      id: v.id,
      sizeGb: v.size,
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

  async createVolume(caller: Caller, volumeId: string): Promise<void> {
    const v = await this.stores.volumes.get(volumeId);
    if (!v || v.status !== 'creating') return;
    const backend = this.backendOf(v.host);
    if (!backend?.up) return this.failCreate(caller, v, MESSAGE_DETAILS.driverNotInitialized);
    const ref = await this.ref(v);
    try {
      let update: { providerLocation?: string; providerId?: string; metadata?: Record<string, string> };
      if (v.snapshot_id) {
        const snap = await this.stores.snapshots.get(v.snapshot_id);
        if (!snap) throw new Error(`snapshot ${v.snapshot_id} vanished`);
        update = await backend.driver.createVolumeFromSnapshot(ref, this.snapRef(snap));
      } else if (v.source_volid) {
        const src = await this.stores.volumes.get(v.source_volid);
        if (!src) throw new Error(`source volume ${v.source_volid} vanished`);
        update = await backend.driver.createClonedVolume(ref, await this.ref(src));
      } else {
        update = await backend.driver.createVolume(ref);
        if (v.image_id) {
          if (!this.readImage) throw new Error('no image service');
          await this.stores.volumes.update(v.id, () => ({ status: 'downloading' }));
          const image = await this.readImage(caller, v.image_id);
          const withLocation = { ...ref, providerLocation: update.providerLocation ?? null };
          const more = await backend.driver.copyImageToVolume(withLocation, image);
          update = { ...update, ...more, metadata: { ...update.metadata, ...more.metadata } };
        }
      }
      const done = await this.stores.volumes.update(
        v.id,
        (cur) => ({
          status: 'available',
          provider_location: update.providerLocation ?? cur.provider_location,
          provider_id: update.providerId ?? cur.provider_id,
          admin_metadata: { ...cur.admin_metadata, ...(update.metadata ?? {}) },
          launched_at: cinderTime(),
          updated_at: cinderTime(),
        }),
        ['creating', 'downloading'],
      );
      if (done) this.notifier.volume(caller, done, 'create.end');
      else await backend.driver.deleteVolume(ref).catch(() => undefined);
    } catch (err) {
      this.logger.warn({ err, volume: v.id }, 'block-storage: volume create failed');
      await backend.driver.deleteVolume(ref).catch(() => undefined);
      const detail =
        err instanceof ImageFormatMismatch
          ? MESSAGE_DETAILS.imageFormatUnacceptable
          : MESSAGE_DETAILS.driverFailedCreate;
      await this.failCreate(caller, v, detail, v.image_id ? MESSAGE_EVENTS.copyImageToVolume : undefined);
    }
  }

  private async failCreate(
    caller: Caller,
    v: VolumeRecord,
    detail: (typeof MESSAGE_DETAILS)[keyof typeof MESSAGE_DETAILS],
    event: (typeof MESSAGE_EVENTS)[keyof typeof MESSAGE_EVENTS] = MESSAGE_EVENTS.createVolumeFromBackend,
  ): Promise<void> {
    const failed = await this.stores.volumes.update(v.id, () => ({
      status: 'error',
      updated_at: cinderTime(),
    }));
    await this.messages.record({
      projectId: v.project_id,
      requestId: caller.requestId,
      resourceType: 'VOLUME',
      resourceId: v.id,
      event,
      detail,
    });
    if (failed) this.notifier.volume(caller, failed, 'create.end');
  }

  async deleteVolume(caller: Caller, volumeId: string, cascade: boolean, unmanage: boolean): Promise<void> {
    const v = await this.stores.volumes.get(volumeId);
    if (!v || v.status !== (unmanage ? 'unmanaging' : 'deleting')) return;
    const backend = this.backendOf(v.host);
    try {
      if (!backend?.up) throw new Error('backend down');
      if (cascade) {
        for (const s of (await this.stores.snapshots.list()).filter((x) => x.volume_id === v.id)) {
          await backend.driver.deleteSnapshot(this.snapRef(s));
          await this.stores.snapshots.delete(s.id);
          this.notifier.snapshot(caller, s, 'delete.end');
        }
      }
      const ref = await this.ref(v);
      if (unmanage) await backend.driver.unmanage(ref);
      else await backend.driver.deleteVolume(ref);
      for (const a of (await this.stores.attachments.list()).filter((x) => x.volume_id === v.id)) {
        await this.stores.attachments.delete(a.id);
      }
      await this.stores.volumes.delete(v.id);
      this.notifier.volume(caller, v, unmanage ? 'unmanage.end' : 'delete.end');
    } catch (err) {
      this.logger.warn({ err, volume: v.id }, 'block-storage: volume delete failed');
      await this.stores.volumes.update(v.id, () => ({ status: 'error_deleting', updated_at: cinderTime() }));
    }
  }

  async extendVolume(caller: Caller, volumeId: string, newSize: number): Promise<void> {
    const v = await this.stores.volumes.get(volumeId);
    if (!v || v.status !== 'extending') return;
    const backend = this.backendOf(v.host);
    try {
      if (!backend?.up) throw new Error('backend down');
      await backend.driver.extendVolume(await this.ref(v), newSize);
      const done = await this.stores.volumes.update(v.id, (cur) => ({
        size: newSize,
        status: cur.previous_status === 'in-use' ? 'in-use' : 'available',
        previous_status: null,
        updated_at: cinderTime(),
      }));
      if (done) this.notifier.volume(caller, done, 'resize.end');
      if (done?.status === 'in-use') await this.tellCompute(caller, done);
    } catch (err) {
      this.logger.warn({ err, volume: v.id }, 'block-storage: extend failed');
      await this.stores.volumes.update(v.id, () => ({ status: 'error_extending', updated_at: cinderTime() }));
      await this.messages.record({
        projectId: v.project_id,
        requestId: caller.requestId,
        resourceType: 'VOLUME',
        resourceId: v.id,
        event: MESSAGE_EVENTS.extendVolume,
        detail: MESSAGE_DETAILS.driverFailedExtend,
      });
    }
  }

  /**
   * After an online extend: tells compute, for every server the volume is attached to, so the
   * guest sees the new size. A failure is logged and left as a user message, never undoes the
   * extend (as Cinder).
   */
  private async tellCompute(caller: Caller, v: VolumeRecord): Promise<void> {
    if (!this.notifyExtended) return;
    const servers = [
      ...new Set(
        (await this.stores.attachments.list())
          .filter((a) => a.volume_id === v.id && a.instance_uuid && a.status === 'attached')
          .map((a) => a.instance_uuid as string),
      ),
    ];
    if (!servers.length) return;
    let failed: string[];
    try {
      const results = await this.notifyExtended(servers, v.id);
      failed = results.filter((r) => r.code !== 200).map((r) => `${r.server_uuid} (${r.code})`);
    } catch (err) {
      this.logger.warn({ err, volume: v.id, servers }, 'block-storage: telling compute of the extend failed');
      failed = servers;
    }
    if (!failed.length) return;
    this.logger.warn(
      { volume: v.id, failed },
      'block-storage: compute did not take the volume-extended event',
    );
    await this.messages.record({
      projectId: v.project_id,
      requestId: caller.requestId,
      resourceType: 'VOLUME',
      resourceId: v.id,
      event: MESSAGE_EVENTS.extendVolume,
      detail: MESSAGE_DETAILS.notifyComputeServiceFailed,
    });
  }

  async createSnapshot(caller: Caller, snapshotId: string): Promise<void> {
    const s = await this.stores.snapshots.get(snapshotId);
    if (!s || s.status !== 'creating') return;
    const v = await this.stores.volumes.get(s.volume_id);
    const backend = this.backendOf(v?.host ?? null);
    try {
      if (!v || !backend?.up) throw new Error('volume or backend gone');
      const update = await backend.driver.createSnapshot(this.snapRef(s), await this.ref(v));
      const done = await this.stores.snapshots.update(
        s.id,
        (cur) => ({
          status: 'available',
          progress: '100%',
          provider_location: update.providerLocation ?? cur.provider_location,
          provider_id: update.providerId ?? cur.provider_id,
          updated_at: cinderTime(),
        }),
        ['creating'],
      );
      if (done) this.notifier.snapshot(caller, done, 'create.end');
    } catch (err) {
      this.logger.warn({ err, snapshot: s.id }, 'block-storage: snapshot create failed');
      await this.stores.snapshots.update(s.id, () => ({ status: 'error', updated_at: cinderTime() }));
      await this.messages.record({
        projectId: s.project_id,
        requestId: caller.requestId,
        resourceType: 'VOLUME_SNAPSHOT',
        resourceId: s.id,
        event: MESSAGE_EVENTS.snapshotCreate,
        detail: MESSAGE_DETAILS.snapshotCreateError,
      });
    }
  }

  async deleteSnapshot(caller: Caller, snapshotId: string, unmanage: boolean): Promise<void> {
    const s = await this.stores.snapshots.get(snapshotId);
    if (!s || s.status !== (unmanage ? 'unmanaging' : 'deleting')) return;
    const v = await this.stores.volumes.get(s.volume_id);
    const backend = this.backendOf(v?.host ?? null);
    try {
      if (backend?.up && unmanage) await backend.driver.unmanageSnapshot(this.snapRef(s));
      else if (backend?.up) await backend.driver.deleteSnapshot(this.snapRef(s));
      else if (v) throw new Error('backend down');
      await this.stores.snapshots.delete(s.id);
      this.notifier.snapshot(caller, s, 'delete.end');
    } catch (err) {
      this.logger.warn({ err, snapshot: s.id }, 'block-storage: snapshot delete failed');
      await this.stores.snapshots.update(s.id, () => ({
        status: 'error_deleting',
        updated_at: cinderTime(),
      }));
    }
  }

  async revertToSnapshot(caller: Caller, volumeId: string, snapshotId: string): Promise<void> {
    const v = await this.stores.volumes.get(volumeId);
    const s = await this.stores.snapshots.get(snapshotId);
    if (!v || !s) return;
    const backend = this.backendOf(v.host);
    try {
      if (!backend?.up) throw new Error('backend down');
      await backend.driver.revertToSnapshot(await this.ref(v), this.snapRef(s));
      await this.stores.volumes.update(v.id, () => ({ status: 'available', updated_at: cinderTime() }));
      await this.stores.snapshots.update(s.id, () => ({ status: 'available', updated_at: cinderTime() }));
      this.notifier.volume(caller, v, 'revert.end');
    } catch (err) {
      this.logger.warn({ err, volume: v.id }, 'block-storage: revert failed');
      await this.stores.volumes.update(v.id, () => ({ status: 'error', updated_at: cinderTime() }));
      await this.stores.snapshots.update(s.id, () => ({ status: 'available' }));
    }
  }

  /** Uploads the volume's content to an image (os-volume_upload_image), then restores its status. */
  async copyVolumeToImage(
    caller: Caller,
    volumeId: string,
    diskFormat: string,
    upload: (stream: import('node:stream').Readable, sizeBytes: number) => Promise<void>,
  ): Promise<void> {
    const v = await this.stores.volumes.get(volumeId);
    if (!v) return;
    const backend = this.backendOf(v.host);
    try {
      if (!backend?.up) throw new Error('backend down');
      const out = await backend.driver.copyVolumeToImage(await this.ref(v), diskFormat);
      await upload(out.stream, out.sizeBytes);
    } catch (err) {
      this.logger.warn({ err, volume: v.id }, 'block-storage: upload to image failed');
      await this.messages.record({
        projectId: v.project_id,
        requestId: caller.requestId,
        resourceType: 'VOLUME',
        resourceId: v.id,
        event: MESSAGE_EVENTS.copyVolumeToImage,
        detail: MESSAGE_DETAILS.failedToUploadVolume,
      });
    } finally {
      await this.stores.volumes.update(
        v.id,
        (cur) => ({
          status: cur.previous_status ?? 'available',
          previous_status: null,
          updated_at: cinderTime(),
        }),
        ['uploading'],
      );
    }
  }

  async initializeConnection(
    volumeId: string,
    connector: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const v = await this.stores.volumes.get(volumeId);
    const backend = this.backendOf(v?.host ?? null);
    if (!v || !backend) throw new Error(`volume ${volumeId} has no backend here`);
    const info = await backend.driver.initializeConnection(await this.ref(v), {
      host: String(connector.host ?? ''),
      ...connector,
    });
    return info as unknown as Record<string, unknown>;
  }

  async terminateConnection(volumeId: string, connector: Record<string, unknown> | null): Promise<void> {
    const v = await this.stores.volumes.get(volumeId);
    const backend = this.backendOf(v?.host ?? null);
    if (!v || !backend) return;
    await backend.driver.terminateConnection(
      await this.ref(v),
      connector ? { host: String(connector.host ?? ''), ...connector } : undefined,
    );
  }

  /** A volume for a backup or restore: the backend's raw access to it. */
  async rawAccess(volumeId: string, mode: 'read' | 'write') {
    const v = await this.stores.volumes.get(volumeId);
    const backend = this.backendOf(v?.host ?? null);
    if (!v || !backend) throw new Error(`volume ${volumeId} has no backend in this process`);
    const ref = await this.ref(v);
    return mode === 'read' ? backend.driver.openForBackup(ref) : backend.driver.openForRestore(ref);
  }

  async shutdown(): Promise<void> {
    for (const b of this.backends) await b.driver.shutdown?.().catch(() => undefined);
  }
}

/** A pool's figures under upstream's stats keys (what get_pools and capabilities show). */
export function upstreamStats(p: PoolStats): Record<string, unknown> {
  return {
    ...p.capabilities,
    total_capacity_gb: p.totalCapacityGb,
    free_capacity_gb: p.freeCapacityGb,
    allocated_capacity_gb: p.allocatedCapacityGb,
    provisioned_capacity_gb: p.provisionedCapacityGb,
    reserved_percentage: p.reservedPercentage,
    max_over_subscription_ratio: p.maxOverSubscriptionRatio,
    thin_provisioning_support: p.thinProvisioningSupport,
    thick_provisioning_support: p.thickProvisioningSupport,
    multiattach: p.multiattach,
    QoS_support: p.qosSupport,
    volume_backend_name: p.volumeBackendName,
    storage_protocol: p.storageProtocol,
    vendor_name: p.vendorName,
    driver_version: p.driverVersion,
    timestamp: cinderTime(),
  };
}
