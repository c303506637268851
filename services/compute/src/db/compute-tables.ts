import type { Generated } from 'kysely';

/** A flavor row. */
export interface FlavorRow {
  flavorid: string;
  name: string;
  vcpus: number;
  memory_mb: number;
  root_gb: number;
  ephemeral_gb: number;
  swap: number;
  rxtx_factor: number;
  is_public: boolean | number;
  disabled: boolean | number;
  description: string | null;
  extra_specs: string;
  created_at: string;
  updated_at: string | null;
}

/** An instance row (a server, in the API's words). JSON columns are text. */
export interface InstanceRow {
  uuid: string;
  display_name: string;
  display_description: string | null;
  hostname: string;
  project_id: string;
  user_id: string;
  reservation_id: string;
  launch_index: number;
  host: string | null;
  node: string | null;
  availability_zone: string | null;
  flavor: string;
  image_ref: string;
  key_name: string | null;
  key_data: string | null;
  user_data: string | null;
  metadata: string;
  system_metadata: string;
  tags: string;
  vm_state: string;
  task_state: string | null;
  power_state: number;
  locked_by: string | null;
  locked_reason: string | null;
  access_ip_v4: string | null;
  access_ip_v6: string | null;
  config_drive: string;
  requested_networks: string;
  security_groups: string;
  network_info: string;
  scheduler_hints: string;
  fault: string | null;
  progress: number;
  launched_at: string | null;
  terminated_at: string | null;
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
  deleted: boolean | number;
}

/** The compute database, as kysely sees it. */
export interface ComputeTables {
  flavors: FlavorRow;
  flavor_projects: { flavorid: string; project_id: string };
  keypairs: {
    user_id: string;
    name: string;
    type: string;
    public_key: string;
    fingerprint: string;
    created_at: string;
  };
  instances: InstanceRow;
  instance_actions: {
    id: Generated<number>;
    instance_uuid: string;
    action: string;
    request_id: string;
    user_id: string;
    project_id: string;
    message: string | null;
    events: string;
    start_time: string;
    updated_at: string | null;
  };
  compute_nodes: {
    hypervisor_hostname: string;
    id: number;
    uuid: string;
    host: string;
    rpc_server: string;
    vcpus: number;
    memory_mb: number;
    local_gb: number;
    hypervisor_type: string;
    hypervisor_version: number;
    host_ip: string;
    cpu_info: string;
    created_at: string;
    updated_at: string | null;
  };
  services: {
    uuid: string;
    id: number;
    binary: string;
    host: string;
    topic: string | null;
    disabled: boolean | number;
    disabled_reason: string | null;
    forced_down: boolean | number;
    last_seen_up: string | null;
    created_at: string;
    updated_at: string | null;
  };
  quotas: { project_id: string; resource: string; hard_limit: number };
  quota_classes: { class_name: string; resource: string; hard_limit: number };
  migrations: MigrationRow;
  aggregates: {
    id: Generated<number>;
    uuid: string;
    name: string;
    metadata: string;
    hosts: string;
    created_at: string;
    updated_at: string | null;
  };
  server_groups: {
    uuid: string;
    name: string;
    project_id: string;
    user_id: string;
    policy: string;
    rules: string;
    created_at: string;
  };
  server_group_members: { group_uuid: string; instance_uuid: string };
}

/** A migration row (resize, cold or live migration, evacuation). JSON columns are text. */
export interface MigrationRow {
  id: Generated<number>;
  uuid: string;
  instance_uuid: string;
  migration_type: string;
  status: string;
  source_compute: string | null;
  source_node: string | null;
  dest_compute: string | null;
  dest_node: string | null;
  dest_host: string | null;
  old_flavor: string;
  new_flavor: string;
  old_vm_state: string;
  project_id: string;
  user_id: string;
  created_at: string;
  updated_at: string | null;
}
