import { defineOptions, opt } from '@nimbus/config';

/** Nova's general options (upstream's `[DEFAULT]` ones, kept in `[compute]` in Nimbus). */
export const computeOptions = defineOptions('compute', 'Compute service (Nova v2.1).', {
  default_availability_zone: opt.string({
    default: 'nova',
    help: 'Availability zone of hosts in no aggregate that names one.',
  }),
  default_schedule_zone: opt.string({
    default: '',
    help: 'Zone a server goes to when its request names none (empty: any).',
  }),
  compute_driver: opt.enum({
    choices: ['fake'],
    default: 'fake',
    help: 'The virt driver of the compute agents.',
  }),
  service_down_time: opt.int({
    default: 60,
    min: 1,
    help: 'Seconds since the last heartbeat after which a service is down.',
  }),
  report_interval: opt.int({
    default: 10,
    min: 1,
    help: "Seconds between an agent's heartbeats and resource reports.",
  }),
  cpu_allocation_ratio: opt.float({
    default: 16,
    min: 0,
    help: 'Virtual CPUs per physical CPU reported to placement.',
  }),
  ram_allocation_ratio: opt.float({ default: 1.5, min: 0, help: 'RAM overcommit reported to placement.' }),
  disk_allocation_ratio: opt.float({ default: 1, min: 0, help: 'Disk overcommit reported to placement.' }),
  reserved_host_memory_mb: opt.int({ default: 512, min: 0, help: 'MB of RAM kept for the host.' }),
  reserved_host_disk_mb: opt.int({ default: 0, min: 0, help: 'MB of disk kept for the host.' }),
  reserved_host_cpus: opt.int({ default: 0, min: 0, help: 'CPUs kept for the host.' }),
  block_device_allocate_retries: opt.int({
    default: 60,
    min: 0,
    help: 'Times a build checks whether a volume it made is available, block_device_allocate_retries_interval apart.',
  }),
  block_device_allocate_retries_interval: opt.int({
    default: 3,
    min: 0,
    help: "Seconds between a build's checks of a volume it made.",
  }),
  max_limit: opt.int({
    default: 1000,
    min: 1,
    help: 'Most items one list page returns ([api] max_limit upstream).',
  }),
  allow_resize_to_same_host: opt.bool({ default: false, help: 'Let a resize pick the current host.' }),
  reclaim_instance_interval: opt.int({
    default: 0,
    min: 0,
    help: 'Seconds a soft-deleted server is kept (0: delete at once).',
  }),
  shelved_offload_time: opt.int({
    default: 0,
    min: -1,
    help: 'Seconds a shelved server keeps its host before it is offloaded (0: at once, -1: never).',
  }),
  metadata_proxy_shared_secret: opt.string({
    default: '',
    secret: true,
    help: "Secret Neutron's metadata proxy signs X-Instance-ID with ([neutron] upstream).",
  }),
  notification_format: opt.enum({
    choices: ['unversioned', 'versioned', 'both'],
    default: 'both',
    help: 'Notification formats sent ([notifications] upstream).',
  }),
  build_timeout_seconds: opt.int({
    default: 0,
    min: 0,
    help: 'Seconds a server may stay BUILD before it is put in ERROR (0: never; instance_build_timeout upstream).',
  }),
});

/** The scheduler's options (`[scheduler]`, `[filter_scheduler]` upstream). */
export const schedulerOptions = defineOptions('scheduler', 'Compute scheduler.', {
  max_attempts: opt.int({
    default: 3,
    min: 1,
    help: 'Hosts tried for one server (the first plus alternates).',
  }),
  max_placement_results: opt.int({
    default: 1000,
    min: 1,
    help: 'Allocation candidates asked of placement.',
  }),
  enabled_filters: opt.list({
    default: [
      'ComputeFilter',
      'AvailabilityZoneFilter',
      'ComputeCapabilitiesFilter',
      'ImagePropertiesFilter',
      'ServerGroupAntiAffinityFilter',
      'ServerGroupAffinityFilter',
      'SameHostFilter',
      'DifferentHostFilter',
    ],
    help: 'Filters a host must pass, in order.',
  }),
  weight_classes: opt.list({
    default: [
      'RAMWeigher',
      'CPUWeigher',
      'DiskWeigher',
      'ServerGroupSoftAffinityWeigher',
      'ServerGroupSoftAntiAffinityWeigher',
    ],
    help: 'Weighers ranking the hosts that passed.',
  }),
  host_subset_size: opt.int({ default: 1, min: 1, help: 'Pick at random among this many best hosts.' }),
});

/** The fake virt driver's simulated hosts (`[fake]`). */
export const fakeDriverOptions = defineOptions('fake', 'The fake compute driver: simulated hosts.', {
  host_count: opt.int({
    default: 2,
    min: 1,
    max: 100000,
    help: 'Hosts one agent process simulates (each a compute node).',
  }),
  vcpus: opt.int({ default: 32, min: 1, help: 'Physical CPUs of each simulated host.' }),
  memory_mb: opt.int({ default: 131072, min: 1, help: 'MB of RAM of each simulated host.' }),
  local_gb: opt.int({ default: 2000, min: 1, help: 'GB of disk of each simulated host.' }),
  numa_cells: opt.int({ default: 1, min: 1, help: 'NUMA cells of each simulated host.' }),
  spawn_delay_ms: opt.int({ default: 0, min: 0, help: 'Milliseconds a spawn takes.' }),
  power_delay_ms: opt.int({ default: 0, min: 0, help: 'Milliseconds a power operation takes.' }),
  fail_spawn_hosts: opt.list({ default: [], help: 'Hosts whose spawns fail (injected failure).' }),
});

/** Nova's quota defaults (`[quota]` upstream). */
export const computeQuotaOptions = defineOptions('compute_quota', 'Compute quotas ([quota] upstream).', {
  instances: opt.int({ default: 10, min: -1, help: 'Servers per project.' }),
  cores: opt.int({ default: 20, min: -1, help: 'vCPUs per project.' }),
  ram: opt.int({ default: 51200, min: -1, help: 'MB of RAM per project.' }),
  metadata_items: opt.int({ default: 128, min: -1, help: 'Metadata items per server.' }),
  injected_files: opt.int({ default: 5, min: -1, help: 'Injected files per server.' }),
  injected_file_content_bytes: opt.int({ default: 10240, min: -1, help: 'Bytes per injected file.' }),
  injected_file_path_length: opt.int({ default: 255, min: -1, help: 'Characters of an injected file path.' }),
  key_pairs: opt.int({ default: 100, min: -1, help: 'Key pairs per user.' }),
  server_groups: opt.int({ default: 10, min: -1, help: 'Server groups per project.' }),
  server_group_members: opt.int({ default: 10, min: -1, help: 'Servers per server group.' }),
});
