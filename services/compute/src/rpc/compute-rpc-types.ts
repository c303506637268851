import { Type } from '@nimbus/bus';

/** The flavor as an instance keeps it (a copy taken at boot, as Nova's instance.flavor). */
export const FlavorSnapshot = Type.Object({
  flavorid: Type.String(),
  name: Type.String(),
  vcpus: Type.Integer(),
  memory_mb: Type.Integer(),
  root_gb: Type.Integer(),
  ephemeral_gb: Type.Integer(),
  swap: Type.Integer(),
  extra_specs: Type.Record(Type.String(), Type.String()),
});

/** One network a server asked for: a network, a port, maybe a fixed IP and a tag. */
export const RequestedNetwork = Type.Object({
  network_id: Type.Optional(Type.String()),
  port_id: Type.Optional(Type.String()),
  fixed_ip: Type.Optional(Type.String()),
  tag: Type.Optional(Type.String()),
});

/** One interface as the instance's network info cache keeps it. */
export const VifInfo = Type.Object({
  port_id: Type.String(),
  network_id: Type.String(),
  network_name: Type.String(),
  mac_address: Type.String(),
  fixed_ips: Type.Array(
    Type.Object({ ip_address: Type.String(), version: Type.Integer(), subnet_id: Type.String() }),
  ),
  /** The port was made by compute for this server (deleted with it) rather than brought by the user. */
  created_by_compute: Type.Boolean(),
  tag: Type.Optional(Type.String()),
});

const NullableString = Type.Union([Type.String(), Type.Null()]);

/** One block device mapping as a build carries it: the agent makes, connects and completes volumes. */
export const BlockDeviceSpec = Type.Object({
  bdm_uuid: Type.String(),
  source_type: Type.String(),
  destination_type: Type.String(),
  volume_id: NullableString,
  snapshot_id: NullableString,
  image_id: NullableString,
  volume_size: Type.Union([Type.Integer(), Type.Null()]),
  volume_type: NullableString,
  device_name: NullableString,
  boot_index: Type.Union([Type.Integer(), Type.Null()]),
  guest_format: NullableString,
  attachment_id: NullableString,
});

/** What an agent needs to build a server (no database read on the agent). */
export const BuildSpec = Type.Object({
  instance_uuid: Type.String(),
  host: Type.String(),
  node: Type.String(),
  name: Type.String(),
  hostname: Type.String(),
  project_id: Type.String(),
  user_id: Type.String(),
  availability_zone: Type.String(),
  flavor: FlavorSnapshot,
  image_ref: Type.String(),
  networks: Type.Array(RequestedNetwork),
  security_groups: Type.Array(Type.String()),
  user_data: Type.Optional(Type.String()),
  admin_password: Type.Optional(Type.String()),
  /** The server's block device mappings (none: it boots from its image alone). */
  block_devices: Type.Optional(Type.Array(BlockDeviceSpec)),
  attempt: Type.Integer(),
});

/** A host chosen by the scheduler, with what was claimed on it. */
export const Destination = Type.Object({
  host: Type.String(),
  node: Type.String(),
  rpc_server: Type.String(),
  provider_uuid: Type.String(),
});
