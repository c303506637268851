import type { TypedRpcClient } from '@nimbus/bus';
import type { ServiceClients } from '@nimbus/clients';
import type { AggregateRepository } from '../db/aggregate-repository';
import type { BlockDeviceMappingRepository } from '../db/block-device-mapping-repository';
import type { FlavorRepository } from '../db/flavor-repository';
import type { HostRepository } from '../db/host-repository';
import type { InstanceActionRepository } from '../db/instance-action-repository';
import type { InstanceRepository } from '../db/instance-repository';
import type { KeypairRepository } from '../db/keypair-repository';
import type { MigrationRepository } from '../db/migration-repository';
import type { ServerGroupRepository } from '../db/server-group-repository';
import type { UsageRepository } from '../db/usage-repository';
import type { GuestExtraActions } from '../manager/actions/guest-extra-actions';
import type { LiveMigrateActions } from '../manager/actions/live-migrate-actions';
import type { RebuildActions } from '../manager/actions/rebuild-action';
import type { RescueActions } from '../manager/actions/rescue-actions';
import type { ResizeActions } from '../manager/actions/resize-actions';
import type { ShelveActions } from '../manager/actions/shelve-actions';
import type { SnapshotActions } from '../manager/actions/snapshot-actions';
import type { VolumeAttachActions } from '../manager/actions/volume-attach-actions';
import type { QuotaManager } from '../manager/quota-manager';
import type { ServerManager } from '../manager/server-manager';
import type { computeRpc } from '../rpc/compute-rpc';

/** What compute's controllers get as `req.services`. */
export interface ComputeServices {
  aggregates: AggregateRepository;
  flavors: FlavorRepository;
  keypairs: KeypairRepository;
  serverGroups: ServerGroupRepository;
  usage: UsageRepository;
  instances: InstanceRepository;
  actions: InstanceActionRepository;
  hosts: HostRepository;
  servers: ServerManager;
  /** Resize, cold migration, confirm and revert. */
  moves: ResizeActions;
  /** Rebuild from a new image. */
  rebuilds: RebuildActions;
  /** changePassword, trigger_crash_dump, server password, restore/forceDelete states. */
  guestExtras: GuestExtraActions;
  migrations: MigrationRepository;
  /** Block device mappings (volumes and local disks of servers). */
  bdms: BlockDeviceMappingRepository;
  /** `os-volume_attachments`: attach, detach, swap, update. */
  volumeAttachments: VolumeAttachActions;
  /** os-migrateLive, force_complete, live-migration abort. */
  liveMigrations: LiveMigrateActions;
  /** rescue, unrescue. */
  rescues: RescueActions;
  /** createImage, createBackup. */
  snapshots: SnapshotActions;
  /** shelve, shelveOffload, unshelve. */
  shelves: ShelveActions;
  quotas: QuotaManager;
  compute: TypedRpcClient<(typeof computeRpc)['methods']>;
  clients: ServiceClients;
  options: {
    maxLimit: number;
    defaultZone: string;
    serviceDownSeconds: number;
  };
}
