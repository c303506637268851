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

  constructor(readonly db: Database<BlockStorageTables>) {
    this.volumes = new RecordStore(db, 'volume');
    this.snapshots = new RecordStore(db, 'snapshot');
    this.backups = new RecordStore(db, 'backup');
    this.attachments = new RecordStore(db, 'attachment');
    this.transfers = new RecordStore(db, 'transfer');
    this.qos = new RecordStore(db, 'qos_specs');
    this.messages = new RecordStore(db, 'message');
    this.quotas = new RecordStore(db, 'quota');
    this.quotaClasses = new RecordStore(db, 'quota_class');
    this.services = new RecordStore(db, 'service');
    this.groupTypes = new RecordStore(db, 'group_type');
    this.groups = new RecordStore(db, 'group');
    this.groupSnapshots = new RecordStore(db, 'group_snapshot');
  }
}
