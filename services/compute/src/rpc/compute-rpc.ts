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
    build_and_run_instance: { args: BuildSpec, since: '1.0', mode: 'cast' },
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
    get_console_output: {
      args: Type.Object({ host: Type.String(), instance_uuid: Type.String() }),
      result: Type.String(),
      since: '1.0',
      mode: 'call',
    },
  },
});
