import { defineRpcInterface, Type } from '@nimbus/bus';
import { InstanceNotFound } from '../manager/compute-errors';
import { VifInfo } from './compute-rpc-types';

/** Fields an agent may change on an instance (through the conductor, never the database). */
export const InstanceUpdates = Type.Object({
  vm_state: Type.Optional(Type.String()),
  task_state: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  power_state: Type.Optional(Type.Integer()),
  network_info: Type.Optional(Type.Array(VifInfo)),
  launched_at: Type.Optional(Type.String()),
  fault: Type.Optional(
    Type.Union([
      Type.Object({ code: Type.Integer(), message: Type.String(), details: Type.String() }),
      Type.Null(),
    ]),
  ),
});

/** One compute node an agent reports. */
export const NodeReport = Type.Object({
  hypervisor_hostname: Type.String(),
  host: Type.String(),
  uuid: Type.String(),
  vcpus: Type.Integer(),
  memory_mb: Type.Integer(),
  local_gb: Type.Integer(),
  hypervisor_type: Type.String(),
  hypervisor_version: Type.Integer(),
  host_ip: Type.String(),
  cpu_info: Type.String(),
});

/** The conductor's interface: builds, and the agents' only way to the database. */
export const conductorRpc = defineRpcInterface({
  topic: 'conductor',
  version: '1.0',
  errors: [InstanceNotFound],
  methods: {
    /** Schedules and builds servers the API recorded (BUILD/scheduling). */
    build_instances: {
      args: Type.Object({ instance_uuids: Type.Array(Type.String()) }),
      since: '1.0',
      mode: 'cast',
      // A server with volumes to make carries the caller's token to its agent.
      passToken: true,
    },
    /** Writes an agent's state change; `expected_task_state` guards against a racing action. */
    instance_update: {
      args: Type.Object({
        instance_uuid: Type.String(),
        updates: InstanceUpdates,
        event: Type.Optional(Type.String()),
      }),
      since: '1.0',
      mode: 'call',
    },
    /** A build on `host` ended: ACTIVE, or failed (rescheduled on an alternate when retryable). */
    build_result: {
      args: Type.Object({
        instance_uuid: Type.String(),
        host: Type.String(),
        ok: Type.Boolean(),
        message: Type.Optional(Type.String()),
        retryable: Type.Optional(Type.Boolean()),
        attempt: Type.Integer(),
      }),
      since: '1.0',
      mode: 'call',
    },
    /** Records what an agent made of a block device mapping during a build (its volume, its attachment). */
    block_device_update: {
      args: Type.Object({
        bdm_uuid: Type.String(),
        volume_id: Type.Optional(Type.String()),
        attachment_id: Type.Optional(Type.String()),
      }),
      since: '1.0',
      mode: 'call',
    },
    /** The agent removed the guest: the row is marked deleted and the allocations released. */
    instance_destroyed: { args: Type.Object({ instance_uuid: Type.String() }), since: '1.0', mode: 'call' },
    /**
     * Runs a recorded move (resize, cold migration): source allocation to the migration
     * consumer, a destination scheduled and claimed, the guest moved; ends in VERIFY_RESIZE.
     */
    move_instance: {
      args: Type.Object({ migration_id: Type.Integer(), force_host: Type.Optional(Type.String()) }),
      since: '1.0',
      mode: 'cast',
    },
    /** Confirms a finished move: the source guest and the migration's allocation go. */
    confirm_move: { args: Type.Object({ migration_id: Type.Integer() }), since: '1.0', mode: 'cast' },
    /** Reverts a finished move: the destination guest goes, the source allocation comes back. */
    revert_move: { args: Type.Object({ migration_id: Type.Integer() }), since: '1.0', mode: 'cast' },
    /**
     * The agent offloaded a shelved guest: the instance's allocations are released and it leaves
     * its host (SHELVED_OFFLOADED).
     */
    instance_offloaded: { args: Type.Object({ instance_uuid: Type.String() }), since: '1.0', mode: 'call' },
    /**
     * Unshelves a SHELVED_OFFLOADED server: scheduled again (in `availability_zone`, or on
     * `host`), claimed, spawned from its shelved image; ends ACTIVE and the image is deleted.
     */
    unshelve_instance: {
      args: Type.Object({
        instance_uuid: Type.String(),
        availability_zone: Type.Optional(Type.String()),
        host: Type.Optional(Type.String()),
      }),
      since: '1.0',
      mode: 'cast',
    },
    /**
     * Runs a recorded live migration: the source claim moves to the migration consumer, the
     * destination (`host`, checked by the scheduler unless `force`) is claimed for the instance,
     * the guest starts there in the same power state and leaves the source; ACTIVE (or PAUSED)
     * on the new host, or back as it was.
     */
    live_migrate_instance: {
      args: Type.Object({
        migration_id: Type.Integer(),
        host: Type.Optional(Type.String()),
        force: Type.Optional(Type.Boolean()),
      }),
      since: '1.0',
      mode: 'cast',
    },
    /** An agent's nodes and heartbeat (`nova-compute` services, compute nodes). */
    report_nodes: {
      args: Type.Object({ rpc_server: Type.String(), nodes: Type.Array(NodeReport) }),
      since: '1.0',
      mode: 'call',
    },
  },
});
