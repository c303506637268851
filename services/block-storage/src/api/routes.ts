import { type Route, route } from '@nimbus/http';
import * as att from './attachments/attachment-controller';
import * as bak from './backups/backup-controller';
import * as grp from './groups/group-controller';
import * as manage from './manage/manage-controller';
import { listHosts, showHost } from './misc/host-controller';
import * as info from './misc/info-controller';
import * as quota from './misc/quota-controller';
import { listVersions, showVersion } from './misc/root-controller';
import * as qos from './qos/qos-controller';
import * as snap from './snapshots/snapshot-controller';
import * as xfer from './transfers/transfer-controller';
import * as enc from './types/encryption-controller';
import * as types from './types/type-controller';
import * as act from './volumes/volume-action-controller';
import * as vol from './volumes/volume-controller';
import * as meta from './volumes/volume-metadata-controller';

const P = '/v3/:project_id';

/** The routes under `/v3` and `/v3/{project_id}`. */
const projectRoutes: Route[] = [
  route('GET', '/', listVersions, { public: true }),
  route('GET', '/v3', showVersion, { public: true }),

  route('GET', `${P}/volumes`, vol.listVolumes),
  route('GET', `${P}/volumes/detail`, vol.listVolumesDetail),
  route('GET', `${P}/volumes/summary`, vol.volumeSummary, { since: '3.12' }),
  route('POST', `${P}/volumes`, vol.createVolume),
  route('PUT', `${P}/volumes`, vol.volumeIdMissing),
  route('DELETE', `${P}/volumes`, vol.volumeIdMissing),
  route('GET', `${P}/volumes/:volume_id`, vol.showVolume),
  route('PUT', `${P}/volumes/:volume_id`, vol.updateVolume),
  route('DELETE', `${P}/volumes/:volume_id`, vol.deleteVolume),
  route('POST', `${P}/volumes/:volume_id/action`, act.volumeAction),
  route('GET', `${P}/volumes/:volume_id/metadata`, meta.listVolumeMetadata),
  route('POST', `${P}/volumes/:volume_id/metadata`, meta.createVolumeMetadata),
  route('PUT', `${P}/volumes/:volume_id/metadata`, meta.replaceVolumeMetadata),
  route('GET', `${P}/volumes/:volume_id/metadata/:key`, meta.showVolumeMetadataKey),
  route('PUT', `${P}/volumes/:volume_id/metadata/:key`, meta.updateVolumeMetadataKey),
  route('DELETE', `${P}/volumes/:volume_id/metadata/:key`, meta.deleteVolumeMetadataKey),

  route('GET', `${P}/types`, types.listTypes),
  route('GET', `${P}/types/default`, types.showDefaultType, { since: '3.62' }),
  route('POST', `${P}/types`, types.createType),
  route('GET', `${P}/types/:type_id`, types.showType),
  route('PUT', `${P}/types/:type_id`, types.updateType),
  route('DELETE', `${P}/types/:type_id`, types.deleteType),
  route('GET', `${P}/types/:type_id/extra_specs`, types.listExtraSpecs),
  route('POST', `${P}/types/:type_id/extra_specs`, types.createExtraSpecs),
  route('GET', `${P}/types/:type_id/extra_specs/:key`, types.showExtraSpec),
  route('PUT', `${P}/types/:type_id/extra_specs/:key`, types.updateExtraSpec),
  route('DELETE', `${P}/types/:type_id/extra_specs/:key`, types.deleteExtraSpec),
  route('GET', `${P}/types/:type_id/os-volume-type-access`, types.listTypeAccess),
  route('POST', `${P}/types/:type_id/action`, types.typeAction),
  route('GET', `${P}/types/:type_id/encryption`, enc.showEncryption),
  route('POST', `${P}/types/:type_id/encryption`, enc.createEncryption),
  route('GET', `${P}/types/:type_id/encryption/:key`, enc.showEncryptionKey),
  route('PUT', `${P}/types/:type_id/encryption/:key`, enc.updateEncryption),
  route('DELETE', `${P}/types/:type_id/encryption/:key`, enc.deleteEncryption),

  route('GET', `${P}/snapshots`, snap.listSnapshots),
  route('GET', `${P}/snapshots/detail`, snap.listSnapshotsDetail),
  route('POST', `${P}/snapshots`, snap.createSnapshot),
  route('GET', `${P}/snapshots/:snapshot_id`, snap.showSnapshot),
  route('PUT', `${P}/snapshots/:snapshot_id`, snap.updateSnapshot),
  route('DELETE', `${P}/snapshots/:snapshot_id`, snap.deleteSnapshot),
  route('POST', `${P}/snapshots/:snapshot_id/action`, snap.snapshotAction),
  route('GET', `${P}/snapshots/:snapshot_id/metadata`, snap.listSnapshotMetadata),
  route('POST', `${P}/snapshots/:snapshot_id/metadata`, snap.createSnapshotMetadata),
  route('PUT', `${P}/snapshots/:snapshot_id/metadata`, snap.replaceSnapshotMetadata),
  route('GET', `${P}/snapshots/:snapshot_id/metadata/:key`, snap.showSnapshotMetadataKey),
  route('PUT', `${P}/snapshots/:snapshot_id/metadata/:key`, snap.updateSnapshotMetadataKey),
  route('DELETE', `${P}/snapshots/:snapshot_id/metadata/:key`, snap.deleteSnapshotMetadataKey),

  route('GET', `${P}/backups`, bak.listBackups),
  route('GET', `${P}/backups/detail`, bak.listBackupsDetail),
  route('POST', `${P}/backups`, bak.createBackup),
  route('POST', `${P}/backups/import_record`, bak.importBackupRecord),
  route('GET', `${P}/backups/:backup_id`, bak.showBackup),
  route('PUT', `${P}/backups/:backup_id`, bak.updateBackup, { since: '3.9' }),
  route('DELETE', `${P}/backups/:backup_id`, bak.deleteBackup),
  route('POST', `${P}/backups/:backup_id/restore`, bak.restoreBackup),
  route('POST', `${P}/backups/:backup_id/action`, bak.backupAction),
  route('GET', `${P}/backups/:backup_id/export_record`, bak.exportBackupRecord),

  route('GET', `${P}/attachments`, att.listAttachments, { since: '3.27' }),
  route('GET', `${P}/attachments/detail`, att.listAttachmentsDetail, { since: '3.27' }),
  route('POST', `${P}/attachments`, att.createAttachment, { since: '3.27' }),
  route('GET', `${P}/attachments/:attachment_id`, att.showAttachment, { since: '3.27' }),
  route('PUT', `${P}/attachments/:attachment_id`, att.updateAttachment, { since: '3.27' }),
  route('DELETE', `${P}/attachments/:attachment_id`, att.deleteAttachment, { since: '3.27' }),
  route('POST', `${P}/attachments/:attachment_id/action`, att.attachmentAction, { since: '3.44' }),

  ...['os-volume-transfer', 'volume-transfers'].flatMap((base) => {
    const since = base === 'volume-transfers' ? { since: '3.55' } : {};
    return [
      route('GET', `${P}/${base}`, xfer.listTransfers, since),
      route('GET', `${P}/${base}/detail`, xfer.listTransfersDetail, since),
      route('POST', `${P}/${base}`, xfer.createTransfer, since),
      route('GET', `${P}/${base}/:transfer_id`, xfer.showTransfer, since),
      route('DELETE', `${P}/${base}/:transfer_id`, xfer.deleteTransfer, since),
      route('POST', `${P}/${base}/:transfer_id/accept`, xfer.acceptTransfer, since),
    ];
  }),

  route('GET', `${P}/qos-specs`, qos.listQos),
  route('POST', `${P}/qos-specs`, qos.createQos),
  route('GET', `${P}/qos-specs/:qos_id`, qos.showQos),
  route('PUT', `${P}/qos-specs/:qos_id`, qos.setQosKeys),
  route('DELETE', `${P}/qos-specs/:qos_id`, qos.deleteQos),
  route('PUT', `${P}/qos-specs/:qos_id/delete_keys`, qos.unsetQosKeys),
  route('GET', `${P}/qos-specs/:qos_id/associations`, qos.listQosAssociations),
  route('GET', `${P}/qos-specs/:qos_id/associate`, qos.associateQos),
  route('GET', `${P}/qos-specs/:qos_id/disassociate`, qos.disassociateQos),
  route('GET', `${P}/qos-specs/:qos_id/disassociate_all`, qos.disassociateAllQos),

  route('GET', `${P}/os-quota-sets/:target_project_id`, quota.showQuota),
  route('GET', `${P}/os-quota-sets/:target_project_id/defaults`, quota.showDefaultQuota),
  route('PUT', `${P}/os-quota-sets/:target_project_id`, quota.updateQuota),
  route('DELETE', `${P}/os-quota-sets/:target_project_id`, quota.deleteQuota),
  route('GET', `${P}/os-quota-class-sets/:class_name`, quota.showQuotaClass),
  route('PUT', `${P}/os-quota-class-sets/:class_name`, quota.updateQuotaClass),

  route('GET', `${P}/limits`, info.showLimits),
  route('GET', `${P}/extensions`, info.listExtensions),
  route('GET', `${P}/os-availability-zone`, info.listAvailabilityZones),
  route('GET', `${P}/os-hosts`, listHosts),
  route('GET', `${P}/os-hosts/:host`, showHost),
  route('GET', `${P}/os-services`, info.listServices),
  route('PUT', `${P}/os-services/:action`, info.updateService),
  route('GET', `${P}/scheduler-stats/get_pools`, info.getPools),
  route('GET', `${P}/capabilities/:host`, info.showCapabilities),
  route('GET', `${P}/messages`, info.listMessages, { since: '3.3' }),
  route('GET', `${P}/messages/:message_id`, info.showMessage, { since: '3.3' }),
  route('DELETE', `${P}/messages/:message_id`, info.deleteMessage, { since: '3.3' }),

  ...[
    ['manageable_volumes', 'manageable_snapshots', { since: '3.8' }],
    ['os-volume-manage', 'os-snapshot-manage', {}],
  ].flatMap(([volumes, snapshots, since]) => [
    route('GET', `${P}/${volumes}`, manage.listManageableVolumes, since as object),
    route('GET', `${P}/${volumes}/detail`, manage.listManageableVolumesDetail, since as object),
    route('POST', `${P}/${volumes}`, manage.manageVolume, since as object),
    route('GET', `${P}/${snapshots}`, manage.listManageableSnapshots, since as object),
    route('GET', `${P}/${snapshots}/detail`, manage.listManageableSnapshotsDetail, since as object),
    route('POST', `${P}/${snapshots}`, manage.manageSnapshot, since as object),
  ]),

  route('GET', `${P}/group_types`, grp.listGroupTypes, { since: '3.11' }),
  route('GET', `${P}/group_types/default`, grp.showDefaultGroupType, { since: '3.11' }),
  route('POST', `${P}/group_types`, grp.createGroupType, { since: '3.11' }),
  route('GET', `${P}/group_types/:group_type_id`, grp.showGroupType, { since: '3.11' }),
  route('PUT', `${P}/group_types/:group_type_id`, grp.updateGroupType, { since: '3.11' }),
  route('DELETE', `${P}/group_types/:group_type_id`, grp.deleteGroupType, { since: '3.11' }),
  route('GET', `${P}/group_types/:group_type_id/group_specs`, grp.listGroupSpecs, { since: '3.11' }),
  route('POST', `${P}/group_types/:group_type_id/group_specs`, grp.createGroupSpecs, { since: '3.11' }),
  route('GET', `${P}/group_types/:group_type_id/group_specs/:key`, grp.showGroupSpec, { since: '3.11' }),
  route('PUT', `${P}/group_types/:group_type_id/group_specs/:key`, grp.updateGroupSpec, { since: '3.11' }),
  route('DELETE', `${P}/group_types/:group_type_id/group_specs/:key`, grp.deleteGroupSpec, { since: '3.11' }),
  route('GET', `${P}/groups`, grp.listGroups, { since: '3.13' }),
  route('GET', `${P}/groups/detail`, grp.listGroupsDetail, { since: '3.13' }),
  route('POST', `${P}/groups`, grp.createGroup, { since: '3.13' }),
  route('POST', `${P}/groups/action`, grp.createGroupFromSource, { since: '3.14' }),
  route('GET', `${P}/groups/:group_id`, grp.showGroup, { since: '3.13' }),
  route('PUT', `${P}/groups/:group_id`, grp.updateGroup, { since: '3.13' }),
  route('POST', `${P}/groups/:group_id/action`, grp.groupAction, { since: '3.13' }),
  route('GET', `${P}/group_snapshots`, grp.listGroupSnapshots, { since: '3.14' }),
  route('GET', `${P}/group_snapshots/detail`, grp.listGroupSnapshots, { since: '3.14' }),
  route('POST', `${P}/group_snapshots`, grp.createGroupSnapshot, { since: '3.14' }),
  route('GET', `${P}/group_snapshots/:group_snapshot_id`, grp.showGroupSnapshot, { since: '3.14' }),
  route('DELETE', `${P}/group_snapshots/:group_snapshot_id`, grp.deleteGroupSnapshot, { since: '3.14' }),
  route('POST', `${P}/group_snapshots/:group_snapshot_id/action`, grp.groupSnapshotAction, { since: '3.19' }),
];

/**
 * The block-storage (Cinder v3) API's route table: each project route also without the project
 * id in its URL (announced by 3.67; upstream's router takes both forms at every version).
 */
export const blockStorageRoutes: Route[] = [
  ...projectRoutes,
  ...projectRoutes
    .filter((r) => r.path.startsWith(`${P}/`))
    .map((r) => ({ ...r, path: `/v3${r.path.slice(P.length)}` })),
];
