import { defineOptions, opt } from '@nimbus/config';

/** Neutron's `[agent]` options: how often agents report, when the server counts them dead. */
export const agentOptions = defineOptions('agent', 'Network agents (DHCP, L3, metadata, L2).', {
  report_interval: opt.int({
    default: 30,
    min: 1,
    help: 'Seconds between the state reports of each agent.',
  }),
  agent_down_time: opt.int({
    default: 75,
    min: 1,
    help: 'Seconds without a report after which the server shows an agent as not alive.',
  }),
  dhcp_agents_per_network: opt.int({
    default: 1,
    min: 1,
    help: 'DHCP agents a network with a DHCP-enabled subnet is scheduled to.',
  }),
  availability_zone: opt.string({ default: 'nova', help: 'Availability zone the agents report.' }),
});
