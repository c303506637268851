import { resolve } from 'node:path';
import { PolicyEnforcer } from '@nimbus/policy';
import { defineService, type RoleContext, type StartedRole } from '@nimbus/service';
import { implementedExtensions } from './api/extensions';
import type { NetworkServices } from './api/network-services';
import { neutronFaultRenderer } from './api/neutron-faults';
import { neutronHeaderSpelling } from './api/neutron-header-spelling';
import { networkRoutes } from './api/routes';
import { networkOptions } from './conf/options';
import { networkMigrations } from './db/migrations/index';
import { networkDrivers } from './drivers/registry';
import { FloatingIpManager } from './manager/floating-ip-manager';
import { NetworkManager } from './manager/network-manager';
import { PortManager } from './manager/port-manager';
import { QuotaManager } from './manager/quota-manager';
import { RouterManager } from './manager/router-manager';
import { SecurityGroupManager } from './manager/security-group-manager';
import { SecurityGroupRuleManager } from './manager/security-group-rule-manager';
import { SubnetManager } from './manager/subnet-manager';
import { networkPolicyCheck, neutronPolicies } from './policies/network-policy';

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
  options: [networkOptions],
  migrations: networkMigrations,
  roles: [
    {
      name: 'api',
      description: 'The Neutron v2.0 API (neutron-server) with the ML2 plugin and its mechanism driver.',
      http: { port: 9696, catalogPath: '' },
      start: startNetworkApi,
    },
  ],
});

async function startNetworkApi(ctx: RoleContext): Promise<StartedRole> {
  const o = ctx.config.group(networkOptions);
  const db = ctx.db;
  const driver = networkDrivers[o.mechanism_driver as keyof typeof networkDrivers]();
  const policy = networkPolicyCheck({
    overrides: o.policy_file ? PolicyEnforcer.loadOverrides(resolve(ctx.dataDir, o.policy_file)) : undefined,
    enforceScope: o.enforce_scope,
    enforceNewDefaults: o.enforce_new_defaults,
    logger: ctx.logger,
  });
  const networks = new NetworkManager(db, driver, o.global_physnet_mtu);
  const securityGroups = new SecurityGroupManager(db);
  const ports = new PortManager(db, networks, securityGroups, driver, {
    baseMac: o.base_mac,
    ipamRetries: o.ipam_retries,
    maxFixedIps: o.max_fixed_ips_per_port,
  });
  const services: NetworkServices = {
    policy,
    policyNames: new Set(neutronPolicies.map((r) => r.name)),
    resources: {
      network: networks,
      subnet: new SubnetManager(db, networks, {
        maxDnsNameservers: o.max_dns_nameservers,
        maxHostRoutes: o.max_subnet_host_routes,
      }),
      port: ports,
      security_group: securityGroups,
      security_group_rule: new SecurityGroupRuleManager(db),
      router: new RouterManager(db, networks, ports),
      floatingip: new FloatingIpManager(db, networks, ports),
    },
    quotas: new QuotaManager(db, {
      network: o.quota_network,
      subnet: o.quota_subnet,
      port: o.quota_port,
      router: o.quota_router,
      floatingip: o.quota_floatingip,
      security_group: o.quota_security_group,
      security_group_rule: o.quota_security_group_rule,
    }),
    extensions: implementedExtensions,
    options: { filterValidation: o.filter_validation, maxLimit: o.pagination_max_limit },
  };
  return {
    http: {
      routes: networkRoutes,
      faults: neutronFaultRenderer,
      headerSpelling: neutronHeaderSpelling,
      validationMessage: (p) => `Invalid input for ${p.path || 'body'}. Reason: ${p.message}.`,
      services,
    },
  };
}
