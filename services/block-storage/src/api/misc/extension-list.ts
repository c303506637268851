/** One API extension Cinder 21 lists under `/extensions`, as data. */
export interface ExtensionInfo {
  alias: string;
  name: string;
  description: string;
}

/** The extensions this API implements (names and aliases as upstream's). */
export const implementedExtensions: readonly ExtensionInfo[] = [
  { alias: 'os-admin-actions', name: 'AdminActions', description: 'Enable admin actions.' },
  { alias: 'os-availability-zone', name: 'AvailabilityZones', description: 'Describe Availability Zones.' },
  { alias: 'backups', name: 'Backups', description: 'Backups support.' },
  { alias: 'capabilities', name: 'Capabilities', description: 'Capabilities support.' },
  {
    alias: 'os-extended-snapshot-attributes',
    name: 'ExtendedSnapshotAttributes',
    description: 'Extended SnapshotAttributes support.',
  },
  { alias: 'os-extended-services', name: 'ExtendedServices', description: 'Extended services support.' },
  { alias: 'os-hosts', name: 'Hosts', description: 'Admin-only host administration.' },
  {
    alias: 'os-image-create',
    name: 'CreateVolumeExtension',
    description: 'Allow creating a volume from an image in the Create Volume v1 API.',
  },
  { alias: 'os-quota-class-sets', name: 'QuotaClasses', description: 'Quota classes management support.' },
  { alias: 'os-quota-sets', name: 'Quotas', description: 'Quota management support.' },
  { alias: 'qos-specs', name: 'Qos_specs_manage', description: 'QoS specs support.' },
  { alias: 'scheduler-stats', name: 'Scheduler_stats', description: 'Scheduler stats support.' },
  { alias: 'os-services', name: 'Services', description: 'Services support.' },
  { alias: 'os-snapshot-actions', name: 'SnapshotActions', description: 'Enable snapshot manager actions.' },
  {
    alias: 'os-snapshot-manage',
    name: 'SnapshotManage',
    description: 'Allows existing backend storage to be managed by Cinder.',
  },
  {
    alias: 'os-snapshot-unmanage',
    name: 'SnapshotUnmanage',
    description: 'Enable volume unmanage operation.',
  },
  { alias: 'os-types-extra-specs', name: 'TypesExtraSpecs', description: 'Type extra specs support.' },
  { alias: 'os-types-manage', name: 'TypesManage', description: 'Types manage support.' },
  {
    alias: 'os-used-limits',
    name: 'UsedLimits',
    description: 'Provide data on limited resources that are being used.',
  },
  { alias: 'os-volume-actions', name: 'VolumeActions', description: 'Enable volume actions.' },
  {
    alias: 'os-vol-host-attr',
    name: 'VolumeHostAttribute',
    description: 'Expose host as an attribute of a volume.',
  },
  {
    alias: 'os-vol-image-meta',
    name: 'VolumeImageMetadata',
    description: 'Show image metadata associated with the volume.',
  },
  {
    alias: 'os-volume-manage',
    name: 'VolumeManage',
    description: 'Allows existing backend storage to be managed by Cinder.',
  },
  {
    alias: 'os-vol-mig-status-attr',
    name: 'VolumeMigStatusAttribute',
    description: 'Expose migration_status as an attribute of a volume.',
  },
  {
    alias: 'os-vol-tenant-attr',
    name: 'VolumeTenantAttribute',
    description: 'Expose the internal project_id as an attribute of a volume.',
  },
  { alias: 'os-volume-transfer', name: 'VolumeTransfer', description: 'Volume transfer management support.' },
  { alias: 'os-volume-type-access', name: 'VolumeTypeAccess', description: 'Volume type access support.' },
  { alias: 'encryption', name: 'VolumeTypeEncryption', description: 'Encryption support for volume types.' },
  { alias: 'os-volume-unmanage', name: 'VolumeUnmanage', description: 'Enable volume unmanage operation.' },
];
