import { defineRpcInterface, Type } from '@nimbus/bus';

/** What an agent reports of itself, as neutron's agents send `report_state`. */
export const agentState = Type.Object({
  agent_type: Type.String(),
  binary: Type.String(),
  topic: Type.String(),
  host: Type.String(),
  availability_zone: Type.Optional(Type.String()),
  configurations: Type.Record(Type.String(), Type.Unknown()),
  /** True on the first report after the agent started (sets `started_at`). */
  start_flag: Type.Optional(Type.Boolean()),
});

/**
 * The state reports of the network agents (DHCP, L3, metadata, L2) to the API role, on
 * upstream's `q-reports-plugin` topic. A cast: an agent never waits on the server, and a lost
 * report only makes the next one count.
 */
export const agentReportRpc = defineRpcInterface({
  topic: 'q-reports-plugin',
  version: '1.0',
  methods: {
    report_state: {
      args: Type.Object({ agent_state: agentState, time: Type.String() }),
      since: '1.0',
      mode: 'cast',
    },
  },
});
