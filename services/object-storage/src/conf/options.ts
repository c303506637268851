import { defineOptions, opt } from '@nimbus/config';

/** The cluster: where devices live, how rings are first built, the hashing salt. */
export const clusterOptions = defineOptions(
  'object_storage',
  'Object storage (Swift v1): cluster layout and proxy.',
  {
    devices: opt.string({
      default: '',
      help: 'Directory holding one directory per device; default <data_dir>/object-storage/devices.',
    }),
    ring_dir: opt.string({
      default: '',
      help: 'Directory of the ring and builder files; default <data_dir>/object-storage/rings.',
    }),
    swift_hash_path_prefix: opt.string({
      default: '',
      secret: true,
      help: 'Salt before every hashed path; generated and kept in ring_dir when empty.',
    }),
    swift_hash_path_suffix: opt.string({
      default: '',
      secret: true,
      help: 'Salt after every hashed path; generated and kept in ring_dir when empty.',
    }),
    part_power: opt.int({
      default: 10,
      min: 1,
      max: 24,
      help: 'Partition power of rings built at first start.',
    }),
    replicas: opt.int({ default: 3, min: 1, max: 16, help: 'Replicas of rings built at first start.' }),
    device_count: opt.int({
      default: 3,
      min: 1,
      max: 64,
      help: 'Devices (one per zone) of rings built at first start.',
    }),
    min_part_hours: opt.int({ default: 1, min: 0, help: 'Hours before a partition may move again.' }),
    storage_ip: opt.string({
      default: '127.0.0.1',
      help: 'Address of the storage servers in rings built at first start.',
    }),
    object_port: opt.int({ default: 6200, help: 'Object server port.' }),
    container_port: opt.int({ default: 6201, help: 'Container server port.' }),
    account_port: opt.int({ default: 6202, help: 'Account server port.' }),
    serve_storage_http: opt.bool({
      default: false,
      help: "Also serve this host's object, container and account servers over HTTP on their ring ports, for proxies and replicators on other hosts (scale-out).",
    }),
    fsync: opt.bool({
      default: true,
      help: 'Flush object data and directories to disk before acknowledging writes.',
    }),
    node_timeout: opt.int({ default: 10, min: 1, help: 'Seconds to wait for a storage node.' }),
    account_autocreate: opt.bool({ default: true, help: 'Create accounts on first write.' }),
    expiring_objects_container_divisor: opt.int({
      default: 86_400,
      min: 1,
      help: 'Seconds per expirer queue container.',
    }),
    reclaim_age: opt.int({ default: 604_800, min: 1, help: 'Seconds tombstones and deleted rows are kept.' }),
    max_file_size: opt.int({ default: 5_368_709_122, min: 1, help: 'Largest object, in bytes.' }),
    container_listing_limit: opt.int({
      default: 10_000,
      min: 1,
      help: 'Most names a container listing returns.',
    }),
    account_listing_limit: opt.int({
      default: 10_000,
      min: 1,
      help: 'Most names an account listing returns.',
    }),
  },
);

/** Authentication: keystone (default) and tempauth. */
export const authOptions = defineOptions(
  'object_storage_auth',
  'How the proxy authenticates and authorizes.',
  {
    reseller_prefix: opt.string({ default: 'AUTH_', help: 'Prefix of account names.' }),
    operator_roles: opt.list({
      default: ['admin', 'member', 'swiftoperator'],
      help: 'Roles that own their project account.',
    }),
    reseller_admin_role: opt.string({ default: 'ResellerAdmin', help: 'Role that reaches every account.' }),
    tempauth_users: opt.list({
      default: [],
      secret: true,
      help: 'Tempauth users as account:user:key[:group ...] (`.admin`, `.reseller_admin`); empty disables /auth/v1.0.',
    }),
    container_sync_realms: opt.list({
      default: ['realm1:name1:http://127.0.0.1:8080/v1/'],
      help: 'Container sync realms as realm:cluster:endpoint; X-Container-Sync-To names //realm/cluster/account/container.',
    }),
    tempauth_token_life: opt.int({ default: 86_400, min: 60, help: 'Seconds a tempauth token lives.' }),
  },
);

/** Background daemons. */
export const daemonOptions = defineOptions(
  'object_storage_daemons',
  'Replicator, auditor, updater, expirer and reaper.',
  {
    enabled: opt.bool({ default: true, help: 'Run the daemons in this process.' }),
    replicator_interval: opt.int({ default: 30, min: 1, help: 'Seconds between replication passes.' }),
    replicator_full_interval: opt.int({
      default: 3600,
      min: 1,
      help: 'Seconds between full replication passes. Other passes visit only the partitions and databases written since this host last found them in sync with each peer; a full pass compares every one with its peers again, and so restores a replica a peer lost without this host seeing a write (a replaced disk on another host). The first pass after a start is full.',
    }),
    auditor_interval: opt.int({ default: 1800, min: 1, help: 'Seconds between audit passes.' }),
    auditor_bytes_per_second: opt.int({
      default: 10_000_000,
      min: 1,
      help: 'Data the auditor reads per second.',
    }),
    auditor_files_per_second: opt.int({
      default: 20,
      min: 1,
      help: 'Objects the auditor checks per second.',
    }),
    updater_interval: opt.int({ default: 300, min: 1, help: 'Seconds between updater passes.' }),
    expirer_interval: opt.int({ default: 300, min: 1, help: 'Seconds between expirer passes.' }),
    container_sync_interval: opt.int({ default: 10, min: 1, help: 'Seconds between container sync passes.' }),
    reaper_interval: opt.int({ default: 3600, min: 1, help: 'Seconds between account reaper passes.' }),
  },
);
