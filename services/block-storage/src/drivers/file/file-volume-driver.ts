import { rm, statfs, truncate } from 'node:fs/promises';
import { join } from 'node:path';
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
  VolumeBackendFull,
  type VolumeDriver,
  type VolumeDriverContext,
  VolumeDriverError,
  VolumeNotFoundOnBackend,
  type VolumeRef,
} from '../driver-api';
import { exportImage, stageImage } from './image-staging';
import { NbdExporter } from './nbd-exporter';
import { qemuImg, qemuImgCopy, qemuImgResize, type VolumeFormat } from './qemu-img-tool';
import { exists, type VolumeFile, VolumeFiles } from './volume-files';

const GIB = 1024 ** 3;
const IMAGE_FORMATS = new Set(['raw', 'qcow2', 'vmdk', 'vdi', 'vhd', 'vhdx']);
const round2 = (n: number) => Math.floor(n * 100) / 100;

/**
 * The file volume driver: each volume is a sparse raw file (default) or a qcow2 file under
 * `<data_dir>/block-storage/<host>/volumes/`, made, copied, grown and converted with qemu-img.
 * Snapshots are independent copies, so volumes and snapshots can be deleted in any order.
 * Capacity comes from the filesystem (statfs). Attachments get the file path (`file`), or an NBD
 * export over a unix socket (`nbd_export`). Nothing stays on disk after a delete.
 */
export class FileVolumeDriver implements VolumeDriver {
  readonly name = 'file';
  private readonly files: VolumeFiles;
  private readonly format: VolumeFormat;
  private readonly nbd: NbdExporter | undefined;
  /** Virtual bytes of each volume file, by volume id: rebuilt from the directory by `getPools`. */
  private readonly provisioned = new Map<string, number>();

  constructor(private readonly context: VolumeDriverContext) {
    const o = context.options;
    const host = context.host.replaceAll('/', '_');
    this.files = new VolumeFiles(o.volumes_dir ?? join(context.dataDir, 'block-storage', host, 'volumes'));
    this.format = o.volume_format ?? 'raw';
    this.nbd = o.nbd_export ? new NbdExporter(this.files.exportsDir) : undefined;
  }

  /** The directory holding the volume files. */
  get directory(): string {
    return this.files.dir;
  }

  async init(): Promise<void> {
    if (this.format !== 'raw' && this.format !== 'qcow2')
      throw new VolumeDriverError(`volume_format must be raw or qcow2, not ${String(this.format)}.`);
    await qemuImg(['--version']);
    await this.files.prepare();
    await this.nbd?.init();
    await this.scan();
  }

  /** Reads every volume file's size: the figures the pools report and the room checks use. */
  private async scan(): Promise<void> {
    this.provisioned.clear();
    for (const name of await this.files.names()) {
      const m = /^volume-(.+)\.(raw|qcow2)$/.exec(name);
      if (m)
        this.provisioned.set(
          m[1]!,
          await this.files.virtualSize(join(this.files.dir, name), m[2] as VolumeFormat),
        );
    }
  }

  private async pool(): Promise<PoolStats> {
    const o = this.context.options;
    const fs = await statfs(this.files.dir);
    let provisioned = 0;
    for (const bytes of this.provisioned.values()) provisioned += bytes;
    return {
      name: this.context.backendName,
      totalCapacityGb: round2((fs.blocks * fs.bsize) / GIB),
      freeCapacityGb: round2((fs.bavail * fs.bsize) / GIB),
      allocatedCapacityGb: round2(provisioned / GIB),
      provisionedCapacityGb: round2(provisioned / GIB),
      reservedPercentage: o.reserved_percentage ?? 0,
      maxOverSubscriptionRatio: o.max_over_subscription_ratio ?? 20,
      thinProvisioningSupport: true,
      thickProvisioningSupport: false,
      multiattach: true,
      qosSupport: false,
      volumeBackendName: o.volume_backend_name ?? this.context.backendName,
      storageProtocol: this.nbd ? 'nbd' : 'file',
      vendorName: 'Nimbus',
      driverVersion: '1.0.0',
      capabilities: { volume_format: this.format, sparse_files: true, nbd_export: Boolean(this.nbd) },
    };
  }

  async getPools(): Promise<PoolStats[]> {
    await this.scan();
    return [await this.pool()];
  }

  async createVolume(v: VolumeRef): Promise<ModelUpdate> {
    const have = await this.files.find('volume', v.id);
    if (have) return this.update(have);
    await this.checkRoom(v.sizeGb);
    const target = this.files.target('volume', v.id, this.format);
    await this.files.produce(target, async (tmp) => {
      if (this.format === 'raw') {
        await this.files.sparse(tmp, v.sizeGb * GIB);
      } else {
        await qemuImg(['create', '-q', '-f', 'qcow2', tmp, String(v.sizeGb * GIB)]);
      }
    });
    this.provisioned.set(v.id, v.sizeGb * GIB);
    return this.update(target);
  }

  async createVolumeFromSnapshot(v: VolumeRef, snap: SnapshotRef): Promise<ModelUpdate> {
    return this.copyInto(v, await this.mustFind('snapshot', snap.id));
  }

  async createClonedVolume(v: VolumeRef, src: VolumeRef): Promise<ModelUpdate> {
    return this.copyInto(v, await this.mustFind('volume', src.id));
  }

  async copyImageToVolume(v: VolumeRef, image: ImageSource): Promise<ModelUpdate> {
    const volume = await this.mustFind('volume', v.id);
    const staged = await stageImage(image, this.files.staging(`image-for-${v.id}`));
    try {
      if (staged.virtualSize > v.sizeGb * GIB)
        throw new ImageFormatMismatch(
          image.diskFormat,
          `image virtual size is ${Math.ceil(staged.virtualSize / GIB)} GB and does not fit in a volume of size ${v.sizeGb} GB`,
        );
      await this.files.produce(volume, async (tmp) => {
        await qemuImgCopy(staged.path, staged.qemuFormat, tmp, volume.format);
        await qemuImgResize(tmp, volume.format, v.sizeGb * GIB);
      });
    } finally {
      await rm(staged.path, { force: true });
    }
    return this.update(volume);
  }

  async copyVolumeToImage(v: VolumeRef, diskFormat: string): Promise<ImageOutput> {
    if (!IMAGE_FORMATS.has(diskFormat)) throw new DriverNotSupported(this.name, `upload as ${diskFormat}`);
    const volume = await this.mustFind('volume', v.id);
    return exportImage(volume, diskFormat, this.files.staging(`upload-${v.id}`));
  }

  async openForBackup(v: VolumeRef): Promise<RawAccess> {
    const volume = await this.mustFind('volume', v.id);
    const sizeBytes = await this.files.virtualSize(volume.path, volume.format);
    if (volume.format === 'raw') return { path: volume.path, sizeBytes, close: async () => {} };
    const tmp = this.files.staging(`backup-${v.id}`);
    await qemuImgCopy(volume.path, volume.format, tmp, 'raw');
    return { path: tmp, sizeBytes, close: () => rm(tmp, { force: true }) };
  }

  async openForRestore(v: VolumeRef): Promise<RawAccess> {
    const volume = await this.mustFind('volume', v.id);
    const sizeBytes = await this.files.virtualSize(volume.path, volume.format);
    if (volume.format === 'raw') return { path: volume.path, sizeBytes, close: async () => {} };
    const tmp = this.files.staging(`restore-${v.id}`);
    await this.files.sparse(tmp, sizeBytes);
    return {
      path: tmp,
      sizeBytes,
      close: async () => {
        try {
          await this.files.produce(volume, (out) => qemuImgCopy(tmp, 'raw', out, volume.format));
        } finally {
          await rm(tmp, { force: true });
        }
      },
    };
  }

  async extendVolume(v: VolumeRef, newSizeGb: number): Promise<void> {
    const volume = await this.mustFind('volume', v.id);
    const current = await this.files.virtualSize(volume.path, volume.format);
    if (newSizeGb * GIB <= current) return;
    await this.checkRoom(newSizeGb - current / GIB);
    if (volume.format === 'raw') await truncate(volume.path, newSizeGb * GIB);
    else await qemuImgResize(volume.path, volume.format, newSizeGb * GIB);
    this.provisioned.set(v.id, newSizeGb * GIB);
  }

  async deleteVolume(v: VolumeRef): Promise<void> {
    await this.nbd?.unexport(v.id, undefined);
    const volume = await this.files.find('volume', v.id);
    if (volume) await rm(volume.path, { force: true });
    this.provisioned.delete(v.id);
  }

  async createSnapshot(snap: SnapshotRef, v: VolumeRef): Promise<ModelUpdate> {
    const have = await this.files.find('snapshot', snap.id);
    if (have) return this.update(have);
    const volume = await this.mustFind('volume', v.id);
    const target = this.files.target('snapshot', snap.id, volume.format);
    await this.files.produce(target, (tmp) => qemuImgCopy(volume.path, volume.format, tmp, volume.format));
    return this.update(target);
  }

  async deleteSnapshot(snap: SnapshotRef): Promise<void> {
    const file = await this.files.find('snapshot', snap.id);
    if (file) await rm(file.path, { force: true });
  }

  async revertToSnapshot(v: VolumeRef, snap: SnapshotRef): Promise<void> {
    const volume = await this.mustFind('volume', v.id);
    const snapshot = await this.mustFind('snapshot', snap.id);
    await this.files.produce(volume, async (tmp) => {
      await qemuImgCopy(snapshot.path, snapshot.format, tmp, volume.format);
      await qemuImgResize(tmp, volume.format, v.sizeGb * GIB);
    });
  }

  async initializeConnection(v: VolumeRef, connector: Connector): Promise<ConnectionInfo> {
    const volume = await this.mustFind('volume', v.id);
    if (!this.nbd)
      return {
        driver_volume_type: 'file',
        data: { access_mode: 'rw', volume_id: v.id, format: volume.format, device_path: volume.path },
      };
    const exported = await this.nbd.export(v.id, volume.path, volume.format, connector.host);
    return {
      driver_volume_type: 'nbd',
      data: {
        access_mode: 'rw',
        volume_id: v.id,
        format: 'raw',
        path: exported.socket,
        export_name: exported.exportName,
      },
    };
  }

  async terminateConnection(v: VolumeRef, connector: Connector | undefined): Promise<void> {
    await this.nbd?.unexport(v.id, connector?.host);
  }

  /** The hosts an NBD export of the volume serves (empty for file attachments). */
  async exportedTo(volumeId: string): Promise<string[]> {
    return this.nbd ? this.nbd.hosts(volumeId) : [];
  }

  async manageExistingGetSize(ref: ManageReference): Promise<number> {
    const { sizeBytes } = await this.adoptable(ref);
    return Math.ceil(sizeBytes / GIB);
  }

  async manageExisting(v: VolumeRef, ref: ManageReference): Promise<ModelUpdate> {
    const { path, format, sizeBytes } = await this.adoptable(ref);
    const target = this.files.target('volume', v.id, format);
    await this.files.move(path, target.path);
    const sizeGb = Math.ceil(sizeBytes / GIB);
    if (sizeGb * GIB > sizeBytes) {
      if (format === 'raw') await truncate(target.path, sizeGb * GIB);
      else await qemuImgResize(target.path, format, sizeGb * GIB);
    }
    this.provisioned.set(v.id, sizeGb * GIB);
    return this.update(target);
  }

  async unmanage(v: VolumeRef): Promise<void> {
    await this.nbd?.unexport(v.id, undefined);
    const volume = await this.files.find('volume', v.id);
    if (volume) await this.files.move(volume.path, join(this.files.dir, `unmanaged-${volume.name}`));
    this.provisioned.delete(v.id);
  }

  async getManageableVolumes(): Promise<ManageableVolume[]> {
    const found: ManageableVolume[] = [];
    for (const name of await this.files.names()) {
      if (name.startsWith('snapshot-') || name.startsWith('unmanaged-snapshot-')) continue;
      const path = join(this.files.dir, name);
      const owned = /^volume-(.+)\.(raw|qcow2)$/.exec(name);
      const inspection = await this.files.inspect(path);
      const supported = inspection.format === 'raw' || inspection.format === 'qcow2';
      const reason = owned
        ? 'Already managed'
        : inspection.unsafe.length
          ? inspection.unsafe.join('; ')
          : supported
            ? null
            : `${inspection.format} files are not supported`;
      found.push({
        reference: { 'source-name': name },
        sizeGb: Math.ceil((inspection.virtualSize ?? 0) / GIB),
        safeToManage: reason === null,
        reasonNotSafe: reason,
        cinderId: owned ? owned[1]! : null,
        extraInfo: owned ? null : `format=${inspection.format}`,
      });
    }
    return found;
  }

  async manageExistingSnapshotGetSize(_snap: SnapshotRef, ref: ManageReference): Promise<number> {
    const { sizeBytes } = await this.adoptable(ref);
    return Math.ceil(sizeBytes / GIB);
  }

  async manageExistingSnapshot(snap: SnapshotRef, ref: ManageReference): Promise<ModelUpdate> {
    const { path, format } = await this.adoptable(ref);
    await this.mustFind('volume', snap.volumeId);
    const target = this.files.target('snapshot', snap.id, format);
    await this.files.move(path, target.path);
    return this.update(target);
  }

  async unmanageSnapshot(snap: SnapshotRef): Promise<void> {
    const file = await this.files.find('snapshot', snap.id);
    if (file) await this.files.move(file.path, join(this.files.dir, `unmanaged-${file.name}`));
  }

  /**
   * Snapshot files: owned ones (`snapshot-<id>`) as not safe, with their id; unmanaged ones
   * (`unmanaged-snapshot-<id>`) as safe. The source is the volume file the snapshot's name
   * cannot tell, so `source-name` is left empty for unmanaged snapshots.
   */
  async getManageableSnapshots(): Promise<ManageableSnapshot[]> {
    const found: ManageableSnapshot[] = [];
    for (const name of await this.files.names()) {
      const owned = /^snapshot-(.+)\.(raw|qcow2)$/.exec(name);
      if (!owned && !/^unmanaged-snapshot-.+\.(raw|qcow2)$/.test(name)) continue;
      const inspection = await this.files.inspect(join(this.files.dir, name));
      found.push({
        reference: { 'source-name': name },
        sizeGb: Math.ceil((inspection.virtualSize ?? 0) / GIB),
        safeToManage: !owned,
        reasonNotSafe: owned ? 'Already managed' : null,
        cinderId: owned ? owned[1]! : null,
        extraInfo: `format=${inspection.format}`,
        sourceReference: {},
      });
    }
    return found;
  }

  /** A managed-to-be file named by `source-name`: plain name in the volume directory, raw or qcow2, safe. */
  private async adoptable(
    ref: ManageReference,
  ): Promise<{ path: string; format: VolumeFormat; sizeBytes: number }> {
    const name = ref['source-name'];
    if (typeof name !== 'string' || !name)
      throw new ManageExistingInvalidReference(ref, 'source-name is required');
    if (name.includes('/') || name.startsWith('.') || /^(volume|snapshot)-/.test(name))
      throw new ManageExistingInvalidReference(ref, 'not a file this backend may adopt');
    const path = join(this.files.dir, name);
    if (!(await exists(path)))
      throw new ManageExistingInvalidReference(ref, `no file ${name} on the backend`);
    const inspection = await this.files.inspect(path);
    if (inspection.unsafe.length) throw new ManageExistingInvalidReference(ref, inspection.unsafe.join('; '));
    if (inspection.format !== 'raw' && inspection.format !== 'qcow2')
      throw new ManageExistingInvalidReference(ref, `${inspection.format} files are not supported`);
    return { path, format: inspection.format, sizeBytes: inspection.virtualSize ?? 0 };
  }

  /** Copies a volume or snapshot file into volume `v` in this backend's format, grown to `v.sizeGb`. */
  private async copyInto(v: VolumeRef, source: VolumeFile): Promise<ModelUpdate> {
    const have = await this.files.find('volume', v.id);
    if (have) return this.update(have);
    await this.checkRoom(v.sizeGb);
    const target = this.files.target('volume', v.id, this.format);
    await this.files.produce(target, async (tmp) => {
      await qemuImgCopy(source.path, source.format, tmp, target.format);
      await qemuImgResize(tmp, target.format, v.sizeGb * GIB);
    });
    this.provisioned.set(v.id, v.sizeGb * GIB);
    return this.update(target);
  }

  /** Refuses a volume the pool cannot hold even thinly (provisioned beyond the over-subscription limit). */
  private async checkRoom(sizeGb: number): Promise<void> {
    const pool = await this.pool();
    const limit = pool.totalCapacityGb * pool.maxOverSubscriptionRatio * (1 - pool.reservedPercentage / 100);
    const room = round2(limit - pool.provisionedCapacityGb);
    if (sizeGb > room || pool.freeCapacityGb <= 0)
      throw new VolumeBackendFull(Math.ceil(sizeGb), Math.max(0, room));
  }

  private async mustFind(kind: 'volume' | 'snapshot', id: string): Promise<VolumeFile> {
    const file = await this.files.find(kind, id);
    if (!file) throw new VolumeNotFoundOnBackend(id);
    return file;
  }

  private update(file: VolumeFile): ModelUpdate {
    return { providerLocation: file.path, metadata: { format: file.format } };
  }
}
