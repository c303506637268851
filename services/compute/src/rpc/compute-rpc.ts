import { defineRpcInterface, Type } from '@nimbus/bus';
import { InstanceNotFound } from '../manager/compute-errors';
import { BuildSpec } from './compute-rpc-types';

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
    get_console_output: {
      args: Type.Object({ host: Type.String(), instance_uuid: Type.String() }),
      result: Type.String(),
      since: '1.0',
      mode: 'call',
    },
  },
});
