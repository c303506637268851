import type { Notifier } from '@nimbus/bus';
import type { ServiceClients } from '@nimbus/clients';
import type { Stores } from '../db/stores';
import type { AttachmentManager } from '../manager/attachment-manager';
import type { BackupManager } from '../manager/backup-manager';
import type { GroupManager } from '../manager/group-manager';
import type { ManageManager } from '../manager/manage-manager';
import type { MessageManager } from '../manager/message-manager';
import type { MigrationManager } from '../manager/migration-manager';
import type { QosManager } from '../manager/qos-manager';
import type { QuotaManager } from '../manager/quota-manager';
import type { SnapshotManager } from '../manager/snapshot-manager';
import type { TransferManager } from '../manager/transfer-manager';
import type { BlockStorageRpc, VolumeManager } from '../manager/volume-manager';
import type { VolumeTypeManager } from '../manager/volume-type-manager';

/** What the block-storage controllers get as `req.services`. */
export interface BlockStorageServices {
  stores: Stores;
  volumes: VolumeManager;
  types: VolumeTypeManager;
  snapshots: SnapshotManager;
  quotas: QuotaManager;
  messages: MessageManager;
  attachments: AttachmentManager;
  backups: BackupManager;
  transfers: TransferManager;
  qos: QosManager;
  groups: GroupManager;
  manage: ManageManager;
  migrations: MigrationManager;
  rpc: BlockStorageRpc;
  clients: ServiceClients;
  notifier?: Notifier;
  options: {
    maxLimit: number;
    zone: string;
    backupEnabled: boolean;
  };
}
