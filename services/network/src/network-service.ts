import { osloPolicyOptions } from '@nimbus/policy';
import { defineService, type RoleContext, type StartedRole } from '@nimbus/service';
import { agentKinds } from './agents/agent-kinds';
import { agentRole } from './agents/agent-role';
import { implementedExtensions } from './api/extensions';
import type { NetworkServices } from './api/network-services';
import { neutronFaultRenderer } from './api/neutron-faults';
import { neutronHeaderSpelling } from './api/neutron-header-spelling';
import { networkRoutes } from './api/routes';
import { agentOptions } from './conf/agent-options';
import {
  ml2FlatOptions,
  ml2GeneveOptions,
  ml2GreOptions,
  ml2OptionGroups,
  ml2Options,
  ml2VlanOptions,
  ml2VxlanOptions,
} from './conf/ml2-options';
import { networkOptions } from './conf/options';
import { networkMigrations } from './db/migrations/index';
import { networkDrivers } from './drivers/registry';
import { AddressGroupManager } from './manager/address-group-manager';
import { AddressScopeManager } from './manager/address-scope-manager';
import { AgentManager } from './manager/agent-manager';
import { AgentScheduler, dhcpSchedulerSpec, l3SchedulerSpec } from './manager/agent-scheduler';
import { FloatingIpManager } from './manager/floating-ip-manager';
import { MeteringLabelManager, MeteringLabelRuleManager } from './manager/metering-manager';
import { TypeManager } from './manager/ml2/type-manager';
import { NetworkManager } from './manager/network-manager';
import { PortBindingManager } from './manager/port-binding-manager';
import type { PortEventSink } from './manager/port-events';
import { PortManager } from './manager/port-manager';
import { withQosBindings } from './manager/qos-bindings';
import { QosPolicyManager } from './manager/qos-policy-manager';
import { QosRuleManager } from './manager/qos-rule-manager';
import { QuotaManager } from './manager/quota-manager';
import { RbacPolicyManager } from './manager/rbac-policy-manager';
import { withRouterFlags } from './manager/router-flags';
import { RouterManager } from './manager/router-manager';
import { SecurityGroupManager } from './manager/security-group-manager';
import { SecurityGroupRuleManager } from './manager/security-group-rule-manager';
import { SegmentManager } from './manager/segment-manager';
import { SubnetManager } from './manager/subnet-manager';
import { SubnetPoolManager } from './manager/subnet-pool-manager';
import { TrunkManager } from './manager/trunk-manager';
import { withTrunkPortGuard } from './manager/trunk-port-guard';
import { withHooks } from './manager/with-hooks';
import { loadNetworkPolicy, neutronPolicies } from './policies/network-policy';
import { agentReportRpc } from './rpc/agent-report-rpc';

/**
 * Network (Neutron v2.0, ML2): networks, subnets with IPv4/IPv6 IPAM, ports bound through a
 * mechanism driver, security groups and their rules, routers and floating IPs, tags and
 * standard attributes. One role,
 * `api` (`network-api`, neutron-server).
 */
export const networkService = defineService({
  id: 'network',
  type: 'network',
  name: 'neutron',
  options: [networkOptions, ...ml2OptionGroups, agentOptions, osloPolicyOptions],
  migrations: networkMigrations,
  roles: [
    {
      name: 'api',
      description: 'The Neutron v2.0 API (neutron-server) with the ML2 plugin and its mechanism driver.',
      http: { port: 9696, catalogPath: '' },
      rpc: [{ topic: agentReportRpc.topic }],
      start: startNetworkApi,
    },
    ...agentKinds.map(agentRole),
  ],
});

async function startNetworkApi(ctx: RoleContext): Promise<StartedRole> {
  const o = ctx.config.group(networkOptions);
  const db = ctx.db;
  const driver = networkDrivers[o.mechanism_driver as keyof typeof networkDrivers]();
  const policy = loadNetworkPolicy({ config: ctx.config, dataDir: ctx.dataDir, logger: ctx.logger });
  const ml2 = ctx.config.group(ml2Options);
  const types = new TypeManager({
    typeDrivers: ml2.type_drivers,
    tenantNetworkTypes: ml2.tenant_network_types,
    flatNetworks: ctx.config.group(ml2FlatOptions).flat_networks,
    networkVlanRanges: ctx.config.group(ml2VlanOptions).network_vlan_ranges,
    vxlanVniRanges: ctx.config.group(ml2VxlanOptions).vni_ranges,
    greTunnelIdRanges: ctx.config.group(ml2GreOptions).tunnel_id_ranges,
    geneveVniRanges: ctx.config.group(ml2GeneveOptions).vni_ranges,
    geneveMaxHeaderSize: ctx.config.group(ml2GeneveOptions).max_header_size,
    physnetMtu: o.global_physnet_mtu,
    pathMtu: ml2.path_mtu,
  });
  const networks = new NetworkManager(db, driver, types, o.ipam_retries);
  const subnetPools = new SubnetPoolManager(db);
  const agentOpts = ctx.config.group(agentOptions);
  const agents = new AgentManager(db, { agentDownTimeSeconds: agentOpts.agent_down_time });
  const dhcp = new AgentScheduler(db, agents, dhcpSchedulerSpec(agentOpts.dhcp_agents_per_network));
  const l3 = new AgentScheduler(db, agents, l3SchedulerSpec());
  const forget = (scheduler: AgentScheduler) => async (deleted: Record<string, unknown>) =>
    scheduler.forget(db.kysely, deleted.id as string);
  const quotas = new QuotaManager(db, {
    network: o.quota_network,
    subnet: o.quota_subnet,
    port: o.quota_port,
    router: o.quota_router,
    floatingip: o.quota_floatingip,
    security_group: o.quota_security_group,
    security_group_rule: o.quota_security_group_rule,
  });
  const securityGroups = new SecurityGroupManager(db, quotas);
  // Server ports' plugging reaches compute through its external events API, as Neutron's Nova
  // notifier does; a cloud without compute (or a server compute does not know) only logs it.
  const events: PortEventSink = {
    send: async (list) => {
      try {
        await ctx.clients.compute.externalEvents(list);
      } catch (err) {
        ctx.logger.debug({ err, events: list }, 'compute external events not delivered');
      }
    },
  };
  const ports = new PortManager(db, networks, securityGroups, driver, {
    events,
    baseMac: o.base_mac,
    ipamRetries: o.ipam_retries,
    maxFixedIps: o.max_fixed_ips_per_port,
  });
  const qosPolicies = new QosPolicyManager(db);
  const trunks = new TrunkManager(db);
  const services: NetworkServices = {
    policy,
    policyNames: new Set(neutronPolicies.map((r) => r.name)),
    resources: {
      network: withQosBindings(
        withHooks(networks, { afterDelete: forget(dhcp) }),
        db,
        'network',
        qosPolicies,
      ),
      // A network is scheduled to DHCP agents once it has a subnet with DHCP on.
      subnet: withHooks(
        new SubnetManager(
          db,
          networks,
          { maxDnsNameservers: o.max_dns_nameservers, maxHostRoutes: o.max_subnet_host_routes },
          subnetPools,
        ),
        { afterCreate: async (s) => (s.enable_dhcp ? dhcp.schedule(s.network_id as string) : undefined) },
      ),
      port: withQosBindings(withTrunkPortGuard(ports, trunks), db, 'port', qosPolicies),
      segment: new SegmentManager(db, networks, o.ipam_retries),
      agent: agents,
      subnetpool: subnetPools,
      address_scope: new AddressScopeManager(db),
      rbac_policy: new RbacPolicyManager(db),
      security_group: securityGroups,
      security_group_rule: new SecurityGroupRuleManager(db),
      router: withRouterFlags(
        withHooks(new RouterManager(db, networks, ports), {
          afterCreate: (r) => l3.schedule(r.id as string),
          afterDelete: forget(l3),
        }),
        db,
        { distributed: false, ha: false },
      ),
      floatingip: new FloatingIpManager(db, networks, ports),
      metering_label: new MeteringLabelManager(db),
      metering_label_rule: new MeteringLabelRuleManager(db),
      policy: qosPolicies,
      address_group: new AddressGroupManager(db),
      trunk: trunks,
    },
    qosRules: new QosRuleManager(db),
    quotas,
    schedulers: { dhcp, l3 },
    db: db.kysely,
    bindings: new PortBindingManager(db, networks, driver),
    extensions: implementedExtensions,
    options: { filterValidation: o.filter_validation, maxLimit: o.pagination_max_limit },
  };
  return {
    async stop() {
      policy.close();
    },
    rpc: {
      [agentReportRpc.topic]: {
        report_state: (_rpcCtx: unknown, args: Parameters<AgentManager['report']>[0]) => agents.report(args),
      },
    },
    http: {
      routes: networkRoutes,
      faults: neutronFaultRenderer,
      headerSpelling: neutronHeaderSpelling,
      validationMessage: (p) => `Invalid input for ${p.path || 'body'}. Reason: ${p.message}.`,
      untypedBodyIsJson: true,
      services,
    },
  };
}
