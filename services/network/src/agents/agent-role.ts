import { typedRpcClient } from '@nimbus/bus';
import type { RoleDefinition } from '@nimbus/service';
import { agentOptions } from '../conf/agent-options';
import { agentReportRpc } from '../rpc/agent-report-rpc';
import type { AgentKind } from './agent-kinds';

/**
 * A network agent as a role: one instance per host, reporting its state to the API role every
 * `[agent] report_interval` seconds (the first report at once, with `start_flag`).
 */
export function agentRole(kind: AgentKind): RoleDefinition {
  return {
    name: kind.role,
    description: `${kind.agentType} (${kind.binary}): ${kind.description}`,
    perHost: true,
    periodic: [
      {
        name: 'report-state',
        intervalSeconds: (config) => config.group(agentOptions).report_interval,
        initialDelaySeconds: 0,
      },
    ],
    async start(ctx) {
      const client = typedRpcClient(ctx.bus, agentReportRpc);
      const az = ctx.config.group(agentOptions).availability_zone;
      let first = true;
      return {
        periodic: {
          'report-state': async () => {
            await client.cast.report_state(
              {},
              {
                agent_state: {
                  agent_type: kind.agentType,
                  binary: kind.binary,
                  topic: kind.topic,
                  host: ctx.host,
                  ...(kind.zoned ? { availability_zone: az } : {}),
                  configurations: kind.configurations,
                  start_flag: first,
                },
                time: new Date().toISOString(),
              },
            );
            first = false;
          },
        },
      };
    },
  };
}
