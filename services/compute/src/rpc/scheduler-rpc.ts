import { defineRpcInterface, Type } from '@nimbus/bus';
import { NoValidHost } from '../manager/compute-errors';
import { Destination } from './compute-rpc-types';

/** The scheduler's interface (nova-scheduler's `select_destinations`). */
export const schedulerRpc = defineRpcInterface({
  topic: 'scheduler',
  version: '1.0',
  errors: [NoValidHost],
  methods: {
    /**
     * Picks a host for one server and claims its resources in placement (the instance uuid is
     * the consumer). Throws NoValidHost with the filters' reasons when none fits.
     */
    select_destinations: {
      args: Type.Object({
        instance_uuid: Type.String(),
        project_id: Type.String(),
        user_id: Type.String(),
        resources: Type.Record(Type.String(), Type.Integer()),
        availability_zone: Type.Optional(Type.String()),
        force_host: Type.Optional(Type.String()),
        force_node: Type.Optional(Type.String()),
        ignore_hosts: Type.Array(Type.String()),
        same_host: Type.Array(Type.String()),
        different_host: Type.Array(Type.String()),
        /** The server group's policy, when the server is in one (the `group` hint). */
        group_policy: Type.Optional(Type.String()),
        /** The hosts of the group's other members, one entry per member. */
        group_hosts: Type.Optional(Type.Array(Type.String())),
        /** The group's `max_server_per_host` rule (anti-affinity, 2.64+). */
        group_max_per_host: Type.Optional(Type.Integer()),
      }),
      result: Destination,
      since: '1.0',
      mode: 'call',
    },
  },
});
