import type { BaseRecord } from './record-store';

/** A volume, as Cinder keeps it (the API view renames a few fields). */
export interface VolumeRecord extends BaseRecord {
  project_id: string;
  user_id: string;
  status: string;
  name: string | null;
  description: string | null;
  size: number;
  availability_zone: string;
  volume_type_id: string;
  /** `host@backend#pool` once scheduled. */
  host: string | null;
  snapshot_id: string | null;
  source_volid: string | null;
  backup_id: string | null;
  image_id: string | null;
  bootable: boolean;
  readonly: boolean;
  multiattach: boolean;
  metadata: Record<string, string>;
  admin_metadata: Record<string, string>;
  image_metadata: Record<string, string>;
  migration_status: string | null;
  attach_status: 'attached' | 'detached' | 'attaching' | 'detaching';
  provider_location: string | null;
  provider_id: string | null;
  group_id: string | null;
  consistencygroup_id: string | null;
  previous_status: string | null;
  launched_at: string | null;
  terminated_at: string | null;
  scheduler_hints: Record<string, unknown>;
}

/** A snapshot of a volume. */
export interface SnapshotRecord extends BaseRecord {
  project_id: string;
  user_id: string;
  status: string;
  name: string | null;
  description: string | null;
  volume_id: string;
  volume_size: number;
  volume_type_id: string;
  progress: string;
  metadata: Record<string, string>;
  provider_location: string | null;
  provider_id: string | null;
  group_snapshot_id: string | null;
}

/** A backup of a volume. */
export interface BackupRecordRow extends BaseRecord {
  project_id: string;
  user_id: string;
  status: string;
  name: string | null;
  description: string | null;
  volume_id: string;
  snapshot_id: string | null;
  size: number;
  object_count: number;
  container: string | null;
  availability_zone: string | null;
  is_incremental: boolean;
  parent_id: string | null;
  fail_reason: string | null;
  service_metadata: string | null;
  service: string;
  data_timestamp: string;
  metadata: Record<string, string>;
  encryption_key_id: string | null;
  restore_volume_id: string | null;
  /** The volume's metadata, image metadata and bootable flag when backed up (restored with the data). */
  volume_metadata?: Record<string, string>;
  volume_image_metadata?: Record<string, string>;
  volume_bootable?: boolean;
}

/** A volume type. */
export interface VolumeTypeRecord extends BaseRecord {
  name: string;
  description: string | null;
  is_public: boolean;
  extra_specs: Record<string, string>;
  qos_specs_id: string | null;
  /** Projects given access to a private type. */
  projects: string[];
  encryption: Record<string, unknown> | null;
}

/** A volume attachment (Cinder's `volume_attachment`). */
export interface AttachmentRecord extends BaseRecord {
  project_id: string;
  volume_id: string;
  /** `attach_status` as Cinder: reserved, attaching, attached, detached, error_attaching... */
  status: string;
  instance_uuid: string | null;
  attached_host: string | null;
  mountpoint: string | null;
  attach_mode: 'rw' | 'ro';
  attach_time: string | null;
  detach_time: string | null;
  connector: Record<string, unknown> | null;
  connection_info: Record<string, unknown> | null;
}

/** A volume transfer offer. */
export interface TransferRecord extends BaseRecord {
  project_id: string;
  volume_id: string;
  name: string | null;
  salt: string;
  crypt_hash: string;
  no_snapshots: boolean;
  source_project_id: string;
  destination_project_id: string | null;
  accepted: boolean;
}

/** A QoS specs entity. */
export interface QosSpecsRecord extends BaseRecord {
  name: string;
  consumer: string;
  specs: Record<string, string>;
}

/** A user message (3.3). */
export interface MessageRecord extends BaseRecord {
  project_id: string;
  request_id: string;
  resource_type: string;
  resource_uuid: string | null;
  event_id: string;
  message_level: string;
  user_message: string;
  expires_at: string;
}

/** Per-project (or per-class) quota limits that differ from the defaults. */
export interface QuotaRecord extends BaseRecord {
  limits: Record<string, number>;
}

/** A volume/scheduler/backup service instance and, for volume services, its pools. */
export interface ServiceRecord extends BaseRecord {
  binary: string;
  host: string;
  zone: string;
  disabled: boolean;
  disabled_reason: string | null;
  frozen: boolean;
  heartbeat_at: string;
  pools: PoolRecord[];
  backend_state: 'up' | 'down';
  /** The backend's static capabilities, for `GET /capabilities/{host}`. */
  capabilities: Record<string, unknown>;
}

/** A pool as reported by a volume service (upstream stats keys). */
export interface PoolRecord {
  name: string;
  stats: Record<string, unknown>;
}

/** A group type or a group (3.11+/3.13+). */
export interface GroupTypeRecord extends BaseRecord {
  name: string;
  description: string | null;
  is_public: boolean;
  group_specs: Record<string, string>;
}

/** A generic volume group. */
export interface GroupRecord extends BaseRecord {
  project_id: string;
  user_id: string;
  status: string;
  name: string | null;
  description: string | null;
  group_type_id: string;
  volume_type_ids: string[];
  availability_zone: string;
  host: string | null;
  group_snapshot_id: string | null;
  source_group_id: string | null;
  replication_status: string | null;
}

/** A snapshot of a group. */
export interface GroupSnapshotRecord extends BaseRecord {
  project_id: string;
  status: string;
  name: string | null;
  description: string | null;
  group_id: string;
  group_type_id: string;
}
