import { defineOptions, opt } from '@nimbus/config';

/** Cinder's `[DEFAULT]` options that the API, scheduler and volume roles read, under `[block_storage]`. */
export const blockStorageOptions = defineOptions('block_storage', 'Block storage service (Cinder v3).', {
  default_volume_type: opt.string({
    default: '__DEFAULT__',
    help: 'The volume type of volumes created without one (created at start when missing).',
  }),
  storage_availability_zone: opt.string({
    default: 'nova',
    help: 'Availability zone of the volume services.',
  }),
  default_availability_zone: opt.string({
    default: '',
    help: 'Availability zone of volumes created without one (default: storage_availability_zone).',
  }),
  allow_availability_zone_fallback: opt.bool({
    default: false,
    help: 'Create in the default zone when the requested one does not exist.',
  }),
  osapi_max_limit: opt.int({ default: 1000, min: 1, help: 'Most items a list returns in one page.' }),
  quota_volumes: opt.int({ default: 10, min: -1, help: 'Volumes a project may have (-1: no limit).' }),
  quota_snapshots: opt.int({ default: 10, min: -1, help: 'Snapshots a project may have.' }),
  quota_gigabytes: opt.int({
    default: 1000,
    min: -1,
    help: 'GB of volumes and snapshots a project may have.',
  }),
  quota_backups: opt.int({ default: 10, min: -1, help: 'Backups a project may have.' }),
  quota_backup_gigabytes: opt.int({ default: 1000, min: -1, help: 'GB of backups a project may have.' }),
  quota_groups: opt.int({ default: 10, min: -1, help: 'Groups a project may have.' }),
  per_volume_size_limit: opt.int({ default: -1, min: -1, help: 'Largest volume in GB (-1: no limit).' }),
  message_ttl: opt.int({ default: 2592000, min: 1, help: 'Seconds a user message is kept.' }),
  enabled_backends: opt.list({
    default: ['file'],
    help: 'Backends the volume role serves, as `<driver>` or `<name>:<driver>` (drivers: file, fake).',
  }),
  volume_format: opt.enum({
    choices: ['raw', 'qcow2'],
    default: 'raw',
    help: 'Format of the file driver volumes.',
  }),
  reserved_percentage: opt.int({ default: 0, min: 0, max: 100, help: 'Capacity kept free per pool.' }),
  max_over_subscription_ratio: opt.float({
    default: 20,
    min: 1,
    help: 'Thin provisioning over-subscription ratio.',
  }),
  fake_capacity_gb: opt.int({
    default: 1000,
    min: 1,
    help: 'Capacity in GB of each backend of the fake driver (what it reports and refuses beyond).',
  }),
  fake_manageable: opt.list({
    default: [],
    help: 'fake backend only: backend volumes offered to manage, as `<name>:<size in GB>`.',
  }),
  fake_fail: opt.list({
    default: [],
    help: 'fake backend only: driver operations that fail (createVolume, extendVolume...), for tests.',
  }),
  backup_driver: opt.enum({
    choices: ['object-store', 'posix', 'none'],
    default: 'object-store',
    help: 'Where backups go: object storage (Swift API), a POSIX directory, or none (backups refused).',
  }),
  backup_posix_path: opt.string({
    default: '',
    help: 'Directory of the posix backup driver (default under data_dir).',
  }),
  backup_swift_container: opt.string({ default: 'volumebackups', help: 'Default container of backups.' }),
  pool_report_interval: opt.int({
    default: 10,
    min: 1,
    help: "Seconds between a volume role's pool reports to the scheduler.",
  }),
  scheduler_default_filters: opt.list({
    default: ['AvailabilityZoneFilter', 'CapacityFilter', 'CapabilitiesFilter'],
    help: 'Filters the scheduler applies to the pools.',
  }),
  scheduler_default_weighers: opt.list({
    default: ['CapacityWeigher'],
    help: 'Weighers that rank the pools.',
  }),
  capacity_weight_multiplier: opt.float({
    default: 1,
    help: 'Positive: spread by free capacity; negative: stack.',
  }),
  allocated_capacity_weight_multiplier: opt.float({ default: -1, help: 'Weight of allocated capacity.' }),
  volume_number_multiplier: opt.float({ default: -1, help: 'Weight of the number of volumes.' }),
});
