import { mkdir, rm, rmdir, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InspectingStream, mismatch } from '@nimbus/disk-format';
import {
  type ConnectionInfo,
  type Connector,
  DriverNotSupported,
  ImageFormatMismatch,
  type ImageOutput,
  type ImageSource,
  type ManageableSnapshot,
  type ManageableVolume,
  ManageExistingInvalidReference,
  type ManageReference,
  type ModelUpdate,
  type PoolStats,
  type RawAccess,
  type SnapshotRef,
  VolumeBackendBusy,
  VolumeBackendFull,
  type VolumeDriver,
  type VolumeDriverContext,
  VolumeDriverError,
  VolumeNotFoundOnBackend,
  type VolumeOperation,
  type VolumeRef,
} from '../driver-api';

const GIB = 1024 ** 3;

interface FakeVolume {
  sizeGb: number;
  /** Snapshot this volume was made from (it keeps the snapshot busy, as a COW child would). */
  fromSnapshot?: string;
  /** Hosts it is exported to. */
  exports: Set<string>;
  /** A sparse file holding its bytes, made on first raw access. */
  rawPath?: string;
}

/**
 * The fake volume driver: no storage, only state (volumes, snapshots, exports, capacity), so the
 * manager and API run fast and deterministically. Raw access (backups) is a sparse temporary file
 * per volume, made on first use. Delays (`fake_delay_ms`) and failures (`fake_fail`, or
 * `failNext()` at run time) are injectable per operation.
 */
export class FakeVolumeDriver implements VolumeDriver {
  readonly name = 'fake';
  readonly volumes = new Map<string, FakeVolume>();
  readonly snapshots = new Map<string, { volumeId: string; sizeGb: number }>();
  /** Objects on the "backend" that no volume owns yet (for manage), by name → size in GB. */
  readonly unmanaged = new Map<string, number>();
  /** Snapshots on the "backend" that no snapshot record owns, by name → size in GB and volume. */
  readonly unmanagedSnapshots = new Map<string, { sizeGb: number; volumeId: string }>();
  /** Every call made, in order, for tests. */
  readonly calls: VolumeOperation[] = [];
  private readonly failures = new Map<VolumeOperation, Error[]>();
  private readonly capacityGb: number;
  private readonly rawDir: string;
  private initialized = false;

  constructor(private readonly context: VolumeDriverContext) {
    this.capacityGb = context.options.fake_capacity_gb ?? 1000;
    for (const [name, sizeGb] of Object.entries(context.options.fake_manageable ?? {}))
      this.unmanaged.set(name, sizeGb);
    // One directory per backend: a migration puts the same volume id on two backends.
    const backend = context.backendName.replace(/[^A-Za-z0-9_-]/g, '_');
    this.rawDir = join(tmpdir(), `nimbus-fake-volumes-${process.pid}`, backend);
  }

  /** The next call of `op` throws `error` (a retryable `VolumeDriverError` by default). */
  failNext(op: VolumeOperation, error?: Error): void {
    const queue = this.failures.get(op) ?? [];
    queue.push(error ?? new VolumeDriverError(`Injected failure of ${op}.`, { retryable: true }));
    this.failures.set(op, queue);
  }

  async init(): Promise<void> {
    await this.enter('init');
    this.initialized = true;
  }

  async shutdown(): Promise<void> {
    for (const v of this.volumes.values()) if (v.rawPath) await rm(v.rawPath, { force: true });
    // Shared by the fake drivers of this process: removed only once empty.
    await rmdir(this.rawDir).catch(() => undefined);
    await rmdir(dirname(this.rawDir)).catch(() => undefined);
    this.initialized = false;
  }

  async getPools(): Promise<PoolStats[]> {
    await this.enter('getPools');
    const o = this.context.options;
    const provisioned = [...this.volumes.values()].reduce((sum, v) => sum + v.sizeGb, 0);
    return [
      {
        name: 'fake',
        totalCapacityGb: this.capacityGb,
        freeCapacityGb: this.capacityGb - provisioned,
        allocatedCapacityGb: provisioned,
        provisionedCapacityGb: provisioned,
        reservedPercentage: o.reserved_percentage ?? 0,
        maxOverSubscriptionRatio: o.max_over_subscription_ratio ?? 20,
        thinProvisioningSupport: false,
        thickProvisioningSupport: true,
        multiattach: true,
        qosSupport: false,
        volumeBackendName: o.volume_backend_name ?? this.context.backendName,
        storageProtocol: 'file',
        vendorName: 'Nimbus',
        driverVersion: '1.0.0',
        capabilities: { fake: true },
      },
    ];
  }

  async createVolume(v: VolumeRef): Promise<ModelUpdate> {
    await this.enter('createVolume');
    return this.add(v, {});
  }

  async createVolumeFromSnapshot(v: VolumeRef, snap: SnapshotRef): Promise<ModelUpdate> {
    await this.enter('createVolumeFromSnapshot');
    if (!this.snapshots.has(snap.id)) throw new VolumeNotFoundOnBackend(snap.id);
    return this.add(v, { fromSnapshot: snap.id });
  }

  async createClonedVolume(v: VolumeRef, src: VolumeRef): Promise<ModelUpdate> {
    await this.enter('createClonedVolume');
    if (!this.volumes.has(src.id)) throw new VolumeNotFoundOnBackend(src.id);
    return this.add(v, {});
  }

  async copyImageToVolume(v: VolumeRef, image: ImageSource): Promise<ModelUpdate> {
    await this.enter('copyImageToVolume');
    this.get(v.id);
    const inspecting = new InspectingStream();
    await pipeline(image.stream, inspecting, async (source: AsyncIterable<Buffer>) => {
      for await (const _ of source);
    });
    const found = inspecting.result();
    const reason = mismatch(image.diskFormat, found);
    if (reason) throw new ImageFormatMismatch(image.diskFormat, reason);
    if ((found.virtualSize ?? 0) > v.sizeGb * GIB)
      throw new VolumeDriverError(
        `Image virtual size ${found.virtualSize} bytes exceeds the ${v.sizeGb} GB volume.`,
      );
    return { metadata: { image_format: found.format } };
  }

  async copyVolumeToImage(v: VolumeRef, diskFormat: string): Promise<ImageOutput> {
    await this.enter('copyVolumeToImage');
    const volume = this.get(v.id);
    if (diskFormat !== 'raw') throw new DriverNotSupported(this.name, `upload as ${diskFormat}`);
    // A small stand-in for the volume's bytes: a fake has none to give.
    const bytes = Buffer.alloc(Math.min(volume.sizeGb * GIB, 1024 * 1024));
    return { stream: Readable.from([bytes]), sizeBytes: bytes.length, diskFormat };
  }

  async openForBackup(v: VolumeRef): Promise<RawAccess> {
    await this.enter('openForBackup');
    return this.raw(v.id);
  }

  async openForRestore(v: VolumeRef): Promise<RawAccess> {
    await this.enter('openForRestore');
    return this.raw(v.id);
  }

  async extendVolume(v: VolumeRef, newSizeGb: number): Promise<void> {
    await this.enter('extendVolume');
    const volume = this.get(v.id);
    if (newSizeGb <= volume.sizeGb) return;
    const free = this.free();
    if (newSizeGb - volume.sizeGb > free) throw new VolumeBackendFull(newSizeGb - volume.sizeGb, free);
    volume.sizeGb = newSizeGb;
    if (volume.rawPath) await truncate(volume.rawPath, newSizeGb * GIB);
  }

  async deleteVolume(v: VolumeRef): Promise<void> {
    await this.enter('deleteVolume');
    const volume = this.volumes.get(v.id);
    if (!volume) return;
    if ([...this.snapshots.values()].some((s) => s.volumeId === v.id))
      throw new VolumeBackendBusy(`Volume ${v.id} has snapshots on the backend.`);
    if (volume.rawPath) await rm(volume.rawPath, { force: true });
    this.volumes.delete(v.id);
  }

  async createSnapshot(snap: SnapshotRef, v: VolumeRef): Promise<ModelUpdate> {
    await this.enter('createSnapshot');
    const volume = this.get(v.id);
    if (!this.snapshots.has(snap.id)) this.snapshots.set(snap.id, { volumeId: v.id, sizeGb: volume.sizeGb });
    return { providerLocation: `fake:snapshot-${snap.id}` };
  }

  async deleteSnapshot(snap: SnapshotRef): Promise<void> {
    await this.enter('deleteSnapshot');
    this.snapshots.delete(snap.id);
  }

  async revertToSnapshot(v: VolumeRef, snap: SnapshotRef): Promise<void> {
    await this.enter('revertToSnapshot');
    this.get(v.id);
    const s = this.snapshots.get(snap.id);
    if (!s || s.volumeId !== v.id) throw new VolumeNotFoundOnBackend(snap.id);
  }

  async initializeConnection(v: VolumeRef, connector: Connector): Promise<ConnectionInfo> {
    await this.enter('initializeConnection');
    const volume = this.get(v.id);
    volume.exports.add(connector.host);
    return {
      driver_volume_type: 'file',
      data: {
        access_mode: 'rw',
        volume_id: v.id,
        format: 'raw',
        device_path: `/dev/null/fake/volume-${v.id}`,
      },
    };
  }

  async terminateConnection(v: VolumeRef, connector: Connector | undefined): Promise<void> {
    await this.enter('terminateConnection');
    const volume = this.volumes.get(v.id);
    if (!volume) return;
    if (connector) volume.exports.delete(connector.host);
    else volume.exports.clear();
  }

  async manageExistingGetSize(ref: ManageReference): Promise<number> {
    await this.enter('manageExistingGetSize');
    return this.unmanaged.get(this.sourceName(ref)) as number;
  }

  async manageExisting(v: VolumeRef, ref: ManageReference): Promise<ModelUpdate> {
    await this.enter('manageExisting');
    const name = this.sourceName(ref);
    const sizeGb = this.unmanaged.get(name) as number;
    this.unmanaged.delete(name);
    this.volumes.set(v.id, { sizeGb, exports: new Set() });
    return { providerLocation: `fake:volume-${v.id}` };
  }

  async unmanage(v: VolumeRef): Promise<void> {
    await this.enter('unmanage');
    const volume = this.volumes.get(v.id);
    if (!volume) return;
    this.volumes.delete(v.id);
    this.unmanaged.set(`unmanaged-volume-${v.id}`, volume.sizeGb);
  }

  async getManageableVolumes(): Promise<ManageableVolume[]> {
    await this.enter('getManageableVolumes');
    const free = [...this.unmanaged].map(([name, sizeGb]) => ({
      reference: { 'source-name': name },
      sizeGb,
      safeToManage: true,
      reasonNotSafe: null,
      cinderId: null,
      extraInfo: null,
    }));
    const owned = [...this.volumes].map(([id, v]) => ({
      reference: { 'source-name': `volume-${id}` },
      sizeGb: v.sizeGb,
      safeToManage: false,
      reasonNotSafe: 'already managed',
      cinderId: id,
      extraInfo: null,
    }));
    return [...free, ...owned];
  }

  async manageExistingSnapshotGetSize(_snap: SnapshotRef, ref: ManageReference): Promise<number> {
    await this.enter('manageExistingSnapshotGetSize');
    return this.snapshotSource(ref).sizeGb;
  }

  async manageExistingSnapshot(snap: SnapshotRef, ref: ManageReference): Promise<ModelUpdate> {
    await this.enter('manageExistingSnapshot');
    const source = this.snapshotSource(ref);
    this.get(snap.volumeId);
    this.unmanagedSnapshots.delete(String(ref['source-name']));
    this.snapshots.set(snap.id, { volumeId: snap.volumeId, sizeGb: source.sizeGb });
    return { providerLocation: `fake:snapshot-${snap.id}` };
  }

  async unmanageSnapshot(snap: SnapshotRef): Promise<void> {
    await this.enter('unmanageSnapshot');
    const s = this.snapshots.get(snap.id);
    if (!s) return;
    this.snapshots.delete(snap.id);
    this.unmanagedSnapshots.set(`unmanaged-snapshot-${snap.id}`, s);
  }

  async getManageableSnapshots(): Promise<ManageableSnapshot[]> {
    await this.enter('getManageableSnapshots');
    const free = [...this.unmanagedSnapshots].map(([name, s]) => ({
      reference: { 'source-name': name },
      sizeGb: s.sizeGb,
      safeToManage: true,
      reasonNotSafe: null,
      cinderId: null,
      extraInfo: null,
      sourceReference: { 'source-name': `volume-${s.volumeId}` },
    }));
    const owned = [...this.snapshots].map(([id, s]) => ({
      reference: { 'source-name': `snapshot-${id}` },
      sizeGb: s.sizeGb,
      safeToManage: false,
      reasonNotSafe: 'already managed',
      cinderId: id,
      extraInfo: null,
      sourceReference: { 'source-name': `volume-${s.volumeId}` },
    }));
    return [...free, ...owned];
  }

  private snapshotSource(ref: ManageReference): { sizeGb: number; volumeId: string } {
    const name = ref['source-name'];
    if (typeof name !== 'string') throw new ManageExistingInvalidReference(ref, 'source-name is required');
    const found = this.unmanagedSnapshots.get(name);
    if (!found) throw new ManageExistingInvalidReference(ref, `no backend snapshot named ${name}`);
    return found;
  }

  private sourceName(ref: ManageReference): string {
    const name = ref['source-name'];
    if (typeof name !== 'string') throw new ManageExistingInvalidReference(ref, 'source-name is required');
    if (!this.unmanaged.has(name))
      throw new ManageExistingInvalidReference(ref, `no backend volume named ${name}`);
    return name;
  }

  private free(): number {
    return this.capacityGb - [...this.volumes.values()].reduce((sum, v) => sum + v.sizeGb, 0);
  }

  private add(v: VolumeRef, extra: Partial<FakeVolume>): ModelUpdate {
    if (!this.volumes.has(v.id)) {
      const free = this.free();
      if (v.sizeGb > free) throw new VolumeBackendFull(v.sizeGb, free);
      this.volumes.set(v.id, { sizeGb: v.sizeGb, exports: new Set(), ...extra });
    }
    return { providerLocation: `fake:volume-${v.id}` };
  }

  private get(id: string): FakeVolume {
    const volume = this.volumes.get(id);
    if (!volume) throw new VolumeNotFoundOnBackend(id);
    return volume;
  }

  private async raw(id: string): Promise<RawAccess> {
    const volume = this.get(id);
    const sizeBytes = volume.sizeGb * GIB;
    if (!volume.rawPath) {
      await mkdir(this.rawDir, { recursive: true });
      volume.rawPath = join(this.rawDir, `volume-${id}.raw`);
      await writeFile(volume.rawPath, '');
      await truncate(volume.rawPath, sizeBytes);
    }
    return { path: volume.rawPath, sizeBytes, close: async () => {} };
  }

  /** Counts the call, waits the configured delay, throws an injected failure. */
  private async enter(op: VolumeOperation): Promise<void> {
    this.calls.push(op);
    if (op !== 'init' && !this.initialized)
      throw new VolumeDriverError('The fake driver is not initialized.');
    const delay = this.context.options.fake_delay_ms;
    const ms = typeof delay === 'number' ? delay : (delay?.[op] ?? 0);
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    const injected = this.failures.get(op)?.shift();
    if (injected) throw injected;
    if (this.context.options.fake_fail?.includes(op))
      throw new VolumeDriverError(`Configured failure of ${op}.`);
  }
}
