import { defineRpcInterface, Type } from '@nimbus/bus';
import { InstanceNotFound } from '../manager/compute-errors';
import { BuildSpec, FlavorSnapshot, VifInfo } from './compute-rpc-types';

/** Power and lifecycle actions an agent runs on a guest. */
export const GuestAction = Type.Union([
  Type.Literal('stop'),
  Type.Literal('start'),
  Type.Literal('reboot_soft'),
  Type.Literal('reboot_hard'),
  Type.Literal('pause'),
  Type.Literal('unpause'),
  Type.Literal('suspend'),
  Type.Literal('resume'),
]);

/**
 * The compute agent's interface, addressed to the agent process (`compute.<rpc server>`); `host`
 * names the simulated host inside it, as one agent process may run many.
 */
export const computeRpc = defineRpcInterface({
  topic: 'compute',
  version: '1.0',
  errors: [InstanceNotFound],
  methods: {
    /** Builds a guest; the caller's token rides along when it has volumes to make (acting for the user). */
    build_and_run_instance: { args: BuildSpec, since: '1.0', mode: 'cast', passToken: true },
    terminate_instance: {
      args: Type.Object({
        host: Type.String(),
        instance_uuid: Type.String(),
        ports: Type.Array(Type.Object({ port_id: Type.String(), created_by_compute: Type.Boolean() })),
      }),
      since: '1.0',
      mode: 'cast',
    },
    guest_action: {
      args: Type.Object({ host: Type.String(), instance_uuid: Type.String(), action: GuestAction }),
      since: '1.0',
      mode: 'cast',
    },
    /** A move's source side: the guest powered off (kept until the move is confirmed). */
    move_power_off: {
      args: Type.Object({ host: Type.String(), instance_uuid: Type.String() }),
      since: '1.0',
      mode: 'call',
    },
    /**
     * A move's destination side (or a revert's source side): ports bound to `host`, the guest
     * started there with `flavor` (left powered off unless `power_on`); answers its power state.
     */
    move_spawn: {
      args: Type.Object({
        host: Type.String(),
        instance_uuid: Type.String(),
        name: Type.String(),
        image_ref: Type.String(),
        flavor: FlavorSnapshot,
        vifs: Type.Array(VifInfo),
        availability_zone: Type.String(),
        power_on: Type.Boolean(),
        /** Leave the guest paused (a live migration of a PAUSED server). */
        pause: Type.Optional(Type.Boolean()),
      }),
      result: Type.Integer(),
      since: '1.0',
      mode: 'call',
    },
    /** Removes the guest from `host` (the side a move left); a guest already gone is fine. */
    move_drop_guest: {
      args: Type.Object({ host: Type.String(), instance_uuid: Type.String() }),
      since: '1.0',
      mode: 'call',
    },
    /**
     * Rebuilds the guest in place from `image_ref` (destroy, spawn); the agent reports the
     * result to the conductor (ACTIVE, or SHUTOFF when `power_on` is false).
     */
    rebuild_instance: {
      args: Type.Object({
        host: Type.String(),
        instance_uuid: Type.String(),
        name: Type.String(),
        image_ref: Type.String(),
        flavor: FlavorSnapshot,
        vifs: Type.Array(VifInfo),
        power_on: Type.Boolean(),
        preserve_ephemeral: Type.Boolean(),
        user_data: Type.Optional(Type.String()),
      }),
      since: '1.0',
      mode: 'cast',
    },
    /** Sets the guest's admin password, then clears the `updating_password` task state. */
    set_admin_password: {
      args: Type.Object({ host: Type.String(), instance_uuid: Type.String(), password: Type.String() }),
      since: '1.0',
      mode: 'cast',
    },
    /** Injects an NMI into the guest. */
    trigger_crash_dump: {
      args: Type.Object({ host: Type.String(), instance_uuid: Type.String() }),
      since: '1.0',
      mode: 'cast',
    },
    /**
     * Boots the guest from `rescue_image_ref` (RESCUE) and reports through the conductor; a
     * failure leaves the server as it was, with a fault.
     */
    rescue_instance: {
      args: Type.Object({
        host: Type.String(),
        instance_uuid: Type.String(),
        rescue_image_ref: Type.String(),
        admin_password: Type.Optional(Type.String()),
      }),
      since: '1.0',
      mode: 'cast',
    },
    /** Boots the guest from its own disk again (ACTIVE). */
    unrescue_instance: {
      args: Type.Object({ host: Type.String(), instance_uuid: Type.String() }),
      since: '1.0',
      mode: 'cast',
    },
    /**
     * Copies the guest's root disk into the image `image_id` (the API made its record, queued):
     * uploads the data through the image API with the caller's token, then clears the task
     * state (createImage, createBackup) or powers the guest off and marks it SHELVED (`shelve`).
     */
    snapshot_instance: {
      args: Type.Object({
        host: Type.String(),
        instance_uuid: Type.String(),
        image_id: Type.String(),
        purpose: Type.Union([Type.Literal('snapshot'), Type.Literal('backup'), Type.Literal('shelve')]),
        /** `shelve` only: offload at once (`shelved_offload_time` 0). */
        offload: Type.Optional(Type.Boolean()),
        /** `backup` only: the backups of this type kept (older ones are deleted). */
        rotation: Type.Optional(Type.Integer({ minimum: 0 })),
        backup_type: Type.Optional(Type.String()),
      }),
      since: '1.0',
      mode: 'cast',
    },
    /**
     * Connects a reserved block-storage attachment on the host and hot-plugs the volume into the
     * guest at `device`, then completes the attachment (the volume goes `in-use`).
     */
    attach_volume: {
      args: Type.Object({
        host: Type.String(),
        instance_uuid: Type.String(),
        volume_id: Type.String(),
        attachment_id: Type.String(),
        device: Type.String(),
      }),
      since: '1.0',
      mode: 'call',
    },
    /** Unplugs the volume from the guest and deletes its attachment (the volume goes `available`). */
    detach_volume: {
      args: Type.Object({
        host: Type.String(),
        instance_uuid: Type.String(),
        volume_id: Type.String(),
        attachment_id: Type.String(),
      }),
      since: '1.0',
      mode: 'call',
    },
    /** Moves the guest from one volume to another (reserved as `new_attachment_id`) at the same device. */
    swap_volume: {
      args: Type.Object({
        host: Type.String(),
        instance_uuid: Type.String(),
        old_volume_id: Type.String(),
        old_attachment_id: Type.String(),
        new_volume_id: Type.String(),
        new_attachment_id: Type.String(),
        device: Type.String(),
      }),
      since: '1.0',
      mode: 'call',
    },
    /** Tells the guest that a volume grew (block storage's `volume-extended` event). */
    extend_volume: {
      args: Type.Object({ host: Type.String(), instance_uuid: Type.String(), volume_id: Type.String() }),
      since: '1.0',
      mode: 'cast',
    },
    /** Offloads a SHELVED server: the guest goes, ports unbound from the host, claim released. */
    shelve_offload_instance: {
      args: Type.Object({ host: Type.String(), instance_uuid: Type.String() }),
      since: '1.0',
      mode: 'cast',
    },
    /** Unshelves a SHELVED (still placed) server: powers it on, deletes the shelved image. */
    unshelve_in_place: {
      args: Type.Object({
        host: Type.String(),
        instance_uuid: Type.String(),
        image_id: Type.Optional(Type.String()),
      }),
      since: '1.0',
      mode: 'cast',
    },
    get_console_output: {
      args: Type.Object({ host: Type.String(), instance_uuid: Type.String() }),
      result: Type.String(),
      since: '1.0',
      mode: 'call',
    },
  },
});
