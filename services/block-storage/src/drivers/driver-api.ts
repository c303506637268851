import type { Readable } from 'node:stream';

export * from './driver-errors';

/**
 * What a driver knows of a volume. The manager builds it from its database row; the driver
 * never reads the database. `providerLocation`/`providerId` are what an earlier call's
 * `ModelUpdate` returned (the file driver keeps the file name there).
 */
export interface VolumeRef {
  id: string;
  sizeGb: number;
  providerLocation?: string | null;
  providerId?: string | null;
  /** The volume type's extra specs (`volume_backend_name`, `nimbus:volume_format`...). */
  volumeTypeExtraSpecs?: Record<string, string>;
}

/** What a driver knows of a snapshot. `volumeSizeGb` is the source volume's size when it was taken. */
export interface SnapshotRef {
  id: string;
  volumeId: string;
  volumeSizeGb: number;
  providerLocation?: string | null;
  providerId?: string | null;
}

/** What the manager stores on the volume (or snapshot) row after a driver call. */
export interface ModelUpdate {
  providerLocation?: string;
  providerId?: string;
  /** Driver facts worth keeping, stored as admin metadata (e.g. `format`). */
  metadata?: Record<string, string>;
}

/**
 * One pool's figures and capabilities, as a Cinder volume service reports them to the scheduler
 * (upstream `get_volume_stats()` pools). Sizes in GB (GiB), capacities may be fractional.
 */
export interface PoolStats {
  /** Pool name: the `#pool` part of `host@backend#pool`. */
  name: string;
  totalCapacityGb: number;
  freeCapacityGb: number;
  /** GB of volumes this driver created on the pool (what it manages). */
  allocatedCapacityGb: number;
  /** GB promised to volumes (thin: may exceed what is really used). */
  provisionedCapacityGb: number;
  reservedPercentage: number;
  maxOverSubscriptionRatio: number;
  thinProvisioningSupport: boolean;
  thickProvisioningSupport: boolean;
  multiattach: boolean;
  qosSupport: boolean;
  volumeBackendName: string;
  /** `file`, `nbd`, `iSCSI`... */
  storageProtocol: string;
  vendorName: string;
  driverVersion: string;
  /** Free-form capabilities that volume-type extra specs match against (`capabilities:...`). */
  capabilities: Record<string, string | number | boolean>;
}

/** An image to write into a volume: its bytes as Glance serves them, and what Glance says they are. */
export interface ImageSource {
  stream: Readable;
  diskFormat: string;
  containerFormat: string;
  sizeBytes?: number;
}

/** A volume read out as an image (`os-volume_upload_image`), to stream to the image service. */
export interface ImageOutput {
  stream: Readable;
  sizeBytes: number;
  diskFormat: string;
}

/**
 * Local raw access to a volume for the backup role. `path` is a raw file or block device of
 * exactly `sizeBytes`. `close()` must be called once done: for a restore it writes the data back
 * when the volume is not stored raw (qcow2), and it removes any temporary copy.
 */
export interface RawAccess {
  path: string;
  sizeBytes: number;
  close(): Promise<void>;
}

/** What an attaching host says about itself (os-brick connector properties). */
export interface Connector {
  host: string;
  initiator?: string;
  ip?: string;
  multipath?: boolean;
  platform?: string;
  os_type?: string;
  [key: string]: unknown;
}

/**
 * How to reach the volume from the connector's host (upstream `connection_info`): `file` gives
 * `data.device_path` (the file) and `data.format`; `nbd` gives `data.path` (a unix socket
 * served by qemu-storage-daemon) and `data.export_name`.
 */
export interface ConnectionInfo {
  driver_volume_type: 'file' | 'nbd';
  data: {
    access_mode: 'rw' | 'ro';
    volume_id: string;
    format?: 'raw' | 'qcow2';
    device_path?: string;
    path?: string;
    export_name?: string;
    [key: string]: unknown;
  };
}

/** A backend object the operator wants adopted (`{"source-name": "..."}` or `{"source-id": "..."}`). */
export type ManageReference = Record<string, unknown>;

/** One entry of `GET /manageable_volumes` (upstream keys, with the size in GB). */
export interface ManageableVolume {
  reference: ManageReference;
  sizeGb: number;
  safeToManage: boolean;
  reasonNotSafe: string | null;
  /** The Cinder volume id when the object already belongs to a volume. */
  cinderId: string | null;
  extraInfo: string | null;
}

/** One entry of `GET /manageable_snapshots`: a volume entry plus the reference of its volume. */
export interface ManageableSnapshot extends ManageableVolume {
  /** The backend reference of the volume the snapshot was taken of. */
  sourceReference: ManageReference;
}

/**
 * The volume driver contract. Only the `block-storage-volume` role's manager calls it; a driver
 * never touches the database. Every call may block on I/O for as long as the work takes (a
 * clone copies the data), so the manager calls it outside any transaction. Calls are
 * idempotent per id: a retried create of an existing volume succeeds without redoing it; a
 * delete of a missing volume or snapshot succeeds. Throws `VolumeDriverError` (see `retryable`)
 * on backend faults, `VolumeBackendFull` when out of room, `ImageFormatMismatch` for a lying
 * image, `DriverNotSupported` for what the backend cannot do.
 */
export interface VolumeDriver {
  /** The driver's name (`fake`, `file`). */
  readonly name: string;
  /** Reach the backend and check configuration. Throwing keeps this backend down. */
  init(): Promise<void>;
  /** Release what `init` and the exports hold (qemu-storage-daemon processes). */
  shutdown?(): Promise<void>;
  /** Capacity and capabilities per pool, fresh each call (the manager reports them periodically). */
  getPools(): Promise<PoolStats[]>;

  /** An empty (zeroed) volume of `v.sizeGb`. */
  createVolume(v: VolumeRef): Promise<ModelUpdate>;
  /** A volume holding the snapshot's data; `v.sizeGb` may exceed the snapshot's size (grown). */
  createVolumeFromSnapshot(v: VolumeRef, snap: SnapshotRef): Promise<ModelUpdate>;
  /** A full, independent copy of `src`; `v.sizeGb` may exceed `src.sizeGb`. */
  createClonedVolume(v: VolumeRef, src: VolumeRef): Promise<ModelUpdate>;
  /**
   * Writes an image into an existing volume: stages the bytes, inspects their real format
   * (mismatch or unsafe → `ImageFormatMismatch`), converts with qemu-img. A volume smaller than
   * the image's virtual size → `VolumeDriverError`.
   */
  copyImageToVolume(v: VolumeRef, image: ImageSource): Promise<ModelUpdate>;
  /** The volume's content in `diskFormat` (`raw`, `qcow2`), for upload to the image service. */
  copyVolumeToImage(v: VolumeRef, diskFormat: string): Promise<ImageOutput>;
  /** Read access for a backup. */
  openForBackup(v: VolumeRef): Promise<RawAccess>;
  /** Write access for a restore (the volume exists and is at least the backup's size). */
  openForRestore(v: VolumeRef): Promise<RawAccess>;
  /** Grows the volume to `newSizeGb` (never shrinks; same size is a no-op). */
  extendVolume(v: VolumeRef, newSizeGb: number): Promise<void>;
  /** Removes the volume and everything it holds on the backend; missing is success. */
  deleteVolume(v: VolumeRef): Promise<void>;

  /** A point-in-time copy of `v` (crash-consistent: the manager checks the volume is not in use, or `force`). */
  createSnapshot(snap: SnapshotRef, v: VolumeRef): Promise<ModelUpdate>;
  /** Missing is success. */
  deleteSnapshot(snap: SnapshotRef): Promise<void>;
  /** Puts the snapshot's data back into `v` (the volume's latest snapshot; same size). */
  revertToSnapshot(v: VolumeRef, snap: SnapshotRef): Promise<void>;

  /** Exports the volume to the connector's host; idempotent per (volume, connector.host). */
  initializeConnection(v: VolumeRef, connector: Connector): Promise<ConnectionInfo>;
  /** Ends that export; a missing export is success. `connector` undefined = every host (force detach). */
  terminateConnection(v: VolumeRef, connector: Connector | undefined): Promise<void>;

  /** GB the referenced backend object would occupy (rounded up). `ManageExistingInvalidReference` if none. */
  manageExistingGetSize(ref: ManageReference): Promise<number>;
  /** Adopts the backend object as volume `v` (renaming it as the driver names its volumes). */
  manageExisting(v: VolumeRef, ref: ManageReference): Promise<ModelUpdate>;
  /** Forgets the volume but leaves its data on the backend (named so `manage` can find it again). */
  unmanage(v: VolumeRef): Promise<void>;
  /** Backend objects that could be managed, and those that already are (with `cinderId`). */
  getManageableVolumes(): Promise<ManageableVolume[]>;

  /** GB the referenced backend snapshot holds (rounded up). `ManageExistingInvalidReference` if none. */
  manageExistingSnapshotGetSize(snap: SnapshotRef, ref: ManageReference): Promise<number>;
  /** Adopts the backend snapshot as `snap` (of the already managed volume `snap.volumeId`). */
  manageExistingSnapshot(snap: SnapshotRef, ref: ManageReference): Promise<ModelUpdate>;
  /** Forgets the snapshot but leaves its data on the backend (named so `manage` can find it again). */
  unmanageSnapshot(snap: SnapshotRef): Promise<void>;
  /** Backend snapshots that could be managed, and those that already are (with `cinderId`). */
  getManageableSnapshots(): Promise<ManageableSnapshot[]>;
}

/**
 * Options a driver reads, named as the `[<backend>]` section's keys (Cinder's names where
 * Cinder has one). The manager passes its section as is; each driver documents what it uses.
 */
export interface VolumeDriverOptions {
  /** `volume_backend_name` reported in the pools (default: the backend section's name). */
  volume_backend_name?: string;
  /** Percentage of capacity kept free (Cinder `reserved_percentage`, default 0). */
  reserved_percentage?: number;
  /** Thin provisioning ratio (Cinder `max_over_subscription_ratio`, default 20). */
  max_over_subscription_ratio?: number;
  /** file: `raw` (sparse, default) or `qcow2`. */
  volume_format?: 'raw' | 'qcow2';
  /** file: directory of volumes (default `<data_dir>/block-storage/<host>/volumes`). */
  volumes_dir?: string;
  /** file: export attachments as NBD over a unix socket (qemu-storage-daemon) instead of the file path. */
  nbd_export?: boolean;
  /** fake: total capacity in GB (default 1000). */
  fake_capacity_gb?: number;
  /** fake: delay in ms for every call, or `{ createVolume: 200 }` per operation. */
  fake_delay_ms?: number | Partial<Record<VolumeOperation, number>>;
  /** fake: backend volumes no volume owns yet, offered to manage (name → size in GB). */
  fake_manageable?: Record<string, number>;
  /** fake: operations that throw `VolumeDriverError` (e.g. `['createVolume']`). */
  fake_fail?: VolumeOperation[];
}

/** Names of the contract's operations (for delays and failure injection). */
export type VolumeOperation = Exclude<keyof VolumeDriver, 'name'>;

/** What a driver factory is given. */
export interface VolumeDriverContext {
  /** The volume role's host (`--host`, Cinder's `host@backend`). */
  host: string;
  /** The backend section's name (`lvmdriver-1`, `file-1`). */
  backendName: string;
  /** `[DEFAULT] data_dir`. */
  dataDir: string;
  options: VolumeDriverOptions;
}

/** Makes a driver from the backend's options (does not reach the backend: `init` does). */
export type VolumeDriverFactory = (context: VolumeDriverContext) => VolumeDriver;
