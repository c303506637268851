import type { Database } from '@nimbus/db';
import { type BlockStorageTables, RecordStore } from './record-store';
import type {
  AttachmentRecord,
  BackupRecordRow,
  GroupRecord,
  GroupSnapshotRecord,
  GroupTypeRecord,
  MessageRecord,
  QosSpecsRecord,
  QuotaRecord,
  ServiceRecord,
  SnapshotRecord,
  TransferRecord,
  VolumeRecord,
} from './records';
import { backupUsage, groupUsage, snapshotUsage, volumeUsage } from './usage-counters';
import { UsageStore } from './usage-store';

/** The record stores of every kind, over one database. */
export class Stores {
  readonly volumes: RecordStore<VolumeRecord>;
  readonly snapshots: RecordStore<SnapshotRecord>;
  readonly backups: RecordStore<BackupRecordRow>;
  readonly attachments: RecordStore<AttachmentRecord>;
  readonly transfers: RecordStore<TransferRecord>;
  readonly qos: RecordStore<QosSpecsRecord>;
  readonly messages: RecordStore<MessageRecord>;
  readonly quotas: RecordStore<QuotaRecord>;
  readonly quotaClasses: RecordStore<QuotaRecord>;
  readonly services: RecordStore<ServiceRecord>;
  readonly groupTypes: RecordStore<GroupTypeRecord>;
  readonly groups: RecordStore<GroupRecord>;
  readonly groupSnapshots: RecordStore<GroupSnapshotRecord>;
  /** Quota usage (`project:<id>`) and pool allocation (`host:<pool>`) counters. */
  readonly usage: UsageStore;

  constructor(readonly db: Database<BlockStorageTables>) {
    const byVolume = (r: { volume_id: string }) => r.volume_id;
    this.volumes = new RecordStore(db, 'volume', { usage: volumeUsage });
    this.snapshots = new RecordStore(db, 'snapshot', { usage: snapshotUsage, parentOf: byVolume });
    this.backups = new RecordStore(db, 'backup', { usage: backupUsage, parentOf: byVolume });
    this.attachments = new RecordStore<AttachmentRecord>(db, 'attachment', { parentOf: byVolume });
    this.transfers = new RecordStore<TransferRecord>(db, 'transfer', { parentOf: byVolume });
    this.qos = new RecordStore(db, 'qos_specs');
    this.messages = new RecordStore(db, 'message');
    this.quotas = new RecordStore(db, 'quota');
    this.quotaClasses = new RecordStore(db, 'quota_class');
    this.services = new RecordStore(db, 'service');
    this.groupTypes = new RecordStore(db, 'group_type');
    this.groups = new RecordStore(db, 'group', { usage: groupUsage });
    this.groupSnapshots = new RecordStore(db, 'group_snapshot');
    this.usage = new UsageStore(() => db.kysely);
  }
}
