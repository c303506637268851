/** One kind of network agent: its upstream type, executable name, RPC topic and configuration report. */
export interface AgentKind {
  /** Nimbus role name (`dhcp-agent`). */
  role: string;
  agentType: string;
  binary: string;
  topic: string;
  description: string;
  /** Whether the agent reports an availability zone (DHCP and L3 agents do). */
  zoned: boolean;
  configurations: Record<string, unknown>;
}

/**
 * The agents the simulated data plane runs, reported as upstream's with the ML2/OVS layout
 * (the fake mechanism driver binds ports as `ovs`). The real linuxbridge data plane will report
 * its own kinds through the same roles.
 */
export const agentKinds: readonly AgentKind[] = [
  {
    role: 'dhcp-agent',
    agentType: 'DHCP agent',
    zoned: true,
    binary: 'neutron-dhcp-agent',
    topic: 'dhcp_agent',
    description: 'DHCP for the networks scheduled to this host (simulated).',
    configurations: { dhcp_driver: 'fake', dhcp_lease_duration: 86400, log_agent_heartbeats: false },
  },
  {
    role: 'l3-agent',
    agentType: 'L3 agent',
    zoned: true,
    binary: 'neutron-l3-agent',
    topic: 'l3_agent',
    description: 'Routers, SNAT and floating IPs of this host (simulated).',
    configurations: { agent_mode: 'legacy', ex_gw_ports: 0, interfaces: 0, floating_ips: 0, routers: 0 },
  },
  {
    role: 'metadata-agent',
    agentType: 'Metadata agent',
    zoned: false,
    binary: 'neutron-metadata-agent',
    topic: 'N/A',
    description: 'The metadata proxy of this host (simulated).',
    configurations: {
      log_agent_heartbeats: false,
      nova_metadata_host: '127.0.0.1',
      nova_metadata_port: 8775,
    },
  },
  {
    role: 'l2-agent',
    agentType: 'Open vSwitch agent',
    zoned: false,
    binary: 'neutron-openvswitch-agent',
    topic: 'N/A',
    description: 'The L2 agent that plugs ports on this host (simulated).',
    configurations: { bridge_mappings: {}, tunnel_types: ['vxlan'], devices: 0, l2_population: false },
  },
];
