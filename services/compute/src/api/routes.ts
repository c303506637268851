import { type Route, route } from '@nimbus/http';
import {
  createExtraSpecs,
  createFlavor,
  deleteExtraSpec,
  deleteFlavor,
  detailFlavors,
  flavorAction,
  indexFlavors,
  listExtraSpecs,
  listFlavorAccess,
  showExtraSpec,
  showFlavor,
  updateExtraSpec,
  updateFlavor,
} from './flavors/flavor-controller';
import { createKeypair, deleteKeypair, listKeypairs, showKeypair } from './keypairs/keypair-controller';
import { listMigrations, listServerMigrations, showServerMigration } from './migrations/migration-controller';
import { abortMigration, forceCompleteMigration } from './migrations/server-migration-actions';
import {
  aggregateAction,
  createAggregate,
  deleteAggregate,
  listAggregates,
  showAggregate,
  updateAggregate,
} from './misc/aggregate-controller';
import { listExtensions, showExtension } from './misc/extension-controller';
import {
  deleteService,
  hypervisorStatistics,
  hypervisorUptime,
  listAvailabilityZones,
  listHypervisors,
  listServices,
  searchHypervisors,
  showHypervisor,
  updateService,
} from './misc/host-controller';
import { hostPowerAction, listHosts, showHost, updateHost } from './misc/os-hosts-controller';
import { showQuotaClassSet, updateQuotaClassSet } from './misc/quota-class-controller';
import {
  deleteQuotaSet,
  showLimits,
  showQuotaDefaults,
  showQuotaDetail,
  showQuotaSet,
  updateQuotaSet,
} from './misc/quota-controller';
import { listVersions, showLegacyVersion, showVersion } from './misc/root-controller';
import { listTenantUsages, showTenantUsage } from './misc/tenant-usage-controller';
import { listUsageAuditLogs, showUsageAuditLog } from './misc/usage-audit-log-controller';
import { proxyRoutes } from './proxies/proxy-routes';
import {
  createServerGroup,
  deleteServerGroup,
  listServerGroups,
  showServerGroup,
} from './server-groups/server-group-controller';
import { serverAction } from './servers/server-action-controller';
import {
  createServer,
  deleteServer,
  detailServers,
  indexServers,
  listIps,
  showIps,
  showServer,
  updateServer,
} from './servers/server-controller';
import { showServerDiagnostics } from './servers/server-diagnostics-controller';
import {
  addTag,
  checkTag,
  deleteMetadataItem,
  deleteTag,
  deleteTags,
  externalEvents,
  listInstanceActions,
  listMetadata,
  listTags,
  putMetadataItem,
  replaceTags,
  setMetadata,
  showInstanceAction,
  showMetadata,
} from './servers/server-extras-controller';
import { clearServerPassword, showServerPassword } from './servers/server-password-controller';
import {
  createServerBody,
  externalEventsBody,
  metadataBody,
  metaItemBody,
  serverActionBody,
  tagsBody,
  updateServerBody,
} from './servers/server-schemas';
import {
  attachVolume,
  detachVolume,
  listVolumeAttachments,
  showVolumeAttachment,
  updateVolumeAttachment,
} from './volumes/volume-attachment-controller';
import { attachVolumeBody, updateVolumeAttachmentBody } from './volumes/volume-attachment-schemas';
import {
  createProxySnapshot,
  createProxyVolume,
  deleteProxySnapshot,
  deleteProxyVolume,
  listProxySnapshots,
  listProxyVolumes,
  noProxyVolume,
  showProxySnapshot,
  showProxyVolume,
} from './volumes/volume-proxy-controller';
import { createProxySnapshotBody, createProxyVolumeBody } from './volumes/volume-proxy-schemas';

const V = '/v2.1';

/** The compute API's route table (Nova v2.1). */
export const computeRoutes: Route[] = [
  route('GET', '/', listVersions, { public: true }),
  route('GET', V, showVersion, { public: true }),
  route('GET', '/v2', showLegacyVersion, { public: true }),

  route('GET', `${V}/servers`, indexServers),
  route('GET', `${V}/servers/detail`, detailServers),
  route('POST', `${V}/servers`, createServer, { body: createServerBody }),
  route('GET', `${V}/servers/:server_id`, showServer),
  route('PUT', `${V}/servers/:server_id`, updateServer, { body: updateServerBody }),
  route('DELETE', `${V}/servers/:server_id`, deleteServer),
  route('POST', `${V}/servers/:server_id/action`, serverAction, { body: serverActionBody }),
  route('GET', `${V}/servers/:server_id/ips`, listIps),
  route('GET', `${V}/servers/:server_id/ips/:network_label`, showIps),
  route('GET', `${V}/servers/:server_id/metadata`, listMetadata),
  route('POST', `${V}/servers/:server_id/metadata`, setMetadata(false), { body: metadataBody }),
  route('PUT', `${V}/servers/:server_id/metadata`, setMetadata(true), { body: metadataBody }),
  route('GET', `${V}/servers/:server_id/metadata/:key`, showMetadata),
  route('PUT', `${V}/servers/:server_id/metadata/:key`, putMetadataItem, { body: metaItemBody }),
  route('DELETE', `${V}/servers/:server_id/metadata/:key`, deleteMetadataItem),
  route('GET', `${V}/servers/:server_id/tags`, listTags, { since: '2.26' }),
  route('PUT', `${V}/servers/:server_id/tags`, replaceTags, { since: '2.26', body: tagsBody }),
  route('DELETE', `${V}/servers/:server_id/tags`, deleteTags, { since: '2.26' }),
  route('GET', `${V}/servers/:server_id/tags/:tag`, checkTag, { since: '2.26' }),
  route('PUT', `${V}/servers/:server_id/tags/:tag`, addTag, { since: '2.26' }),
  route('DELETE', `${V}/servers/:server_id/tags/:tag`, deleteTag, { since: '2.26' }),
  route('GET', `${V}/servers/:server_id/os-instance-actions`, listInstanceActions),
  route('GET', `${V}/servers/:server_id/os-instance-actions/:request_id`, showInstanceAction),
  route('POST', `${V}/os-server-external-events`, externalEvents, { body: externalEventsBody }),
  route('GET', `${V}/servers/:server_id/migrations`, listServerMigrations, { since: '2.23' }),
  route('GET', `${V}/servers/:server_id/migrations/:migration_id`, showServerMigration, { since: '2.23' }),
  route('POST', `${V}/servers/:server_id/migrations/:migration_id/action`, forceCompleteMigration, {
    since: '2.22',
    status: 202,
  }),
  route('DELETE', `${V}/servers/:server_id/migrations/:migration_id`, abortMigration, {
    since: '2.24',
    status: 202,
  }),
  route('GET', `${V}/os-migrations`, listMigrations),
  route('GET', `${V}/servers/:server_id/os-server-password`, showServerPassword),
  route('DELETE', `${V}/servers/:server_id/os-server-password`, clearServerPassword),
  route('GET', `${V}/servers/:server_id/diagnostics`, showServerDiagnostics),
  route('GET', `${V}/servers/:server_id/os-volume_attachments`, listVolumeAttachments),
  route('POST', `${V}/servers/:server_id/os-volume_attachments`, attachVolume, { body: attachVolumeBody }),
  route('GET', `${V}/servers/:server_id/os-volume_attachments/:volume_id`, showVolumeAttachment),
  route('PUT', `${V}/servers/:server_id/os-volume_attachments/:volume_id`, updateVolumeAttachment, {
    body: updateVolumeAttachmentBody,
  }),
  route('DELETE', `${V}/servers/:server_id/os-volume_attachments/:volume_id`, detachVolume),
  route('POST', `${V}/os-volumes_boot`, createServer, { body: createServerBody }),
  route('GET', `${V}/os-volumes`, listProxyVolumes(false), { until: '2.35' }),
  route('GET', `${V}/os-volumes/detail`, listProxyVolumes(true), { until: '2.35' }),
  route('POST', `${V}/os-volumes`, createProxyVolume, { until: '2.35', body: createProxyVolumeBody }),
  route('GET', `${V}/os-volumes/:volume_id`, showProxyVolume, { until: '2.35' }),
  route('DELETE', `${V}/os-volumes/:volume_id`, deleteProxyVolume, { until: '2.35' }),
  route('DELETE', `${V}/os-volumes`, noProxyVolume, { until: '2.35' }),
  route('GET', `${V}/os-snapshots`, listProxySnapshots(false), { until: '2.35' }),
  route('GET', `${V}/os-snapshots/detail`, listProxySnapshots(true), { until: '2.35' }),
  route('POST', `${V}/os-snapshots`, createProxySnapshot, { until: '2.35', body: createProxySnapshotBody }),
  route('GET', `${V}/os-snapshots/:snapshot_id`, showProxySnapshot, { until: '2.35' }),
  route('DELETE', `${V}/os-snapshots/:snapshot_id`, deleteProxySnapshot, { until: '2.35' }),

  route('GET', `${V}/flavors`, indexFlavors),
  route('GET', `${V}/flavors/detail`, detailFlavors),
  route('POST', `${V}/flavors`, createFlavor),
  route('GET', `${V}/flavors/:flavor_id`, showFlavor),
  route('PUT', `${V}/flavors/:flavor_id`, updateFlavor, { since: '2.55' }),
  route('DELETE', `${V}/flavors/:flavor_id`, deleteFlavor),
  route('POST', `${V}/flavors/:flavor_id/action`, flavorAction),
  route('GET', `${V}/flavors/:flavor_id/os-flavor-access`, listFlavorAccess),
  route('GET', `${V}/flavors/:flavor_id/os-extra_specs`, listExtraSpecs),
  route('POST', `${V}/flavors/:flavor_id/os-extra_specs`, createExtraSpecs),
  route('GET', `${V}/flavors/:flavor_id/os-extra_specs/:key`, showExtraSpec),
  route('PUT', `${V}/flavors/:flavor_id/os-extra_specs/:key`, updateExtraSpec),
  route('DELETE', `${V}/flavors/:flavor_id/os-extra_specs/:key`, deleteExtraSpec),

  route('GET', `${V}/os-keypairs`, listKeypairs),
  route('POST', `${V}/os-keypairs`, createKeypair),
  route('GET', `${V}/os-keypairs/:keypair_name`, showKeypair),
  route('DELETE', `${V}/os-keypairs/:keypair_name`, deleteKeypair),

  route('GET', `${V}/os-server-groups`, listServerGroups),
  route('POST', `${V}/os-server-groups`, createServerGroup),
  route('GET', `${V}/os-server-groups/:group_id`, showServerGroup),
  route('DELETE', `${V}/os-server-groups/:group_id`, deleteServerGroup),

  route('GET', `${V}/extensions`, listExtensions),
  route('GET', `${V}/extensions/:alias`, showExtension),

  route('GET', `${V}/limits`, showLimits),
  route('GET', `${V}/os-quota-class-sets/:class_name`, showQuotaClassSet),
  route('PUT', `${V}/os-quota-class-sets/:class_name`, updateQuotaClassSet),
  route('GET', `${V}/os-quota-sets/:project_id`, showQuotaSet),
  route('GET', `${V}/os-quota-sets/:project_id/detail`, showQuotaDetail),
  route('GET', `${V}/os-quota-sets/:project_id/defaults`, showQuotaDefaults),
  route('PUT', `${V}/os-quota-sets/:project_id`, updateQuotaSet),
  route('DELETE', `${V}/os-quota-sets/:project_id`, deleteQuotaSet),

  route('GET', `${V}/os-availability-zone`, listAvailabilityZones(false)),
  route('GET', `${V}/os-availability-zone/detail`, listAvailabilityZones(true)),
  route('GET', `${V}/os-aggregates`, listAggregates),
  route('POST', `${V}/os-aggregates`, createAggregate),
  route('GET', `${V}/os-aggregates/:aggregate_id`, showAggregate),
  route('PUT', `${V}/os-aggregates/:aggregate_id`, updateAggregate),
  route('DELETE', `${V}/os-aggregates/:aggregate_id`, deleteAggregate),
  route('POST', `${V}/os-aggregates/:aggregate_id/action`, aggregateAction),
  route('GET', `${V}/os-hosts`, listHosts, { until: '2.42' }),
  route('GET', `${V}/os-hosts/:host_name`, showHost, { until: '2.42' }),
  route('PUT', `${V}/os-hosts/:host_name`, updateHost, { until: '2.42' }),
  route('GET', `${V}/os-hosts/:host_name/startup`, hostPowerAction('startup'), { until: '2.42' }),
  route('GET', `${V}/os-hosts/:host_name/shutdown`, hostPowerAction('shutdown'), { until: '2.42' }),
  route('GET', `${V}/os-hosts/:host_name/reboot`, hostPowerAction('reboot'), { until: '2.42' }),
  route('GET', `${V}/os-simple-tenant-usage`, listTenantUsages),
  route('GET', `${V}/os-simple-tenant-usage/:tenant_id`, showTenantUsage),
  route('GET', `${V}/os-instance_usage_audit_log`, listUsageAuditLogs),
  route('GET', `${V}/os-instance_usage_audit_log/:before_timestamp`, showUsageAuditLog),
  route('GET', `${V}/os-services`, listServices),
  route('PUT', `${V}/os-services/:service_id`, updateService),
  route('DELETE', `${V}/os-services/:service_id`, deleteService),
  route('GET', `${V}/os-hypervisors`, listHypervisors(false)),
  route('GET', `${V}/os-hypervisors/detail`, listHypervisors(true)),
  route('GET', `${V}/os-hypervisors/statistics`, hypervisorStatistics, { until: '2.87' }),
  route('GET', `${V}/os-hypervisors/:hypervisor_id`, showHypervisor),
  route('GET', `${V}/os-hypervisors/:hypervisor_id/uptime`, hypervisorUptime, { until: '2.87' }),
  route('GET', `${V}/os-hypervisors/:hypervisor_id/search`, searchHypervisors(false), { until: '2.52' }),
  route('GET', `${V}/os-hypervisors/:hypervisor_id/servers`, searchHypervisors(true), { until: '2.52' }),
  ...proxyRoutes,
];
