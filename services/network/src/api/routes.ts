import { type Route, route } from '@nimbus/http';
import { changeAddresses } from './address-groups/address-group-action-controller';
import { addressGroupDefinition } from './address-groups/address-group-definition';
import { agentDefinition } from './agents/agent-definition';
import {
  addDhcpNetwork,
  addL3Router,
  listDhcpAgents,
  listDhcpNetworks,
  listL3Agents,
  listL3Routers,
  removeDhcpNetwork,
  removeL3Router,
} from './agents/agent-scheduler-controller';
import { listIpAvailabilities, showIpAvailability } from './ip-availability-controller';
import { meteringLabelDefinition, meteringLabelRuleDefinition } from './metering/metering-definition';
import { networkDefinition } from './networks/network-definition';
import {
  activatePortBinding,
  createPortBinding,
  deletePortBinding,
  listPortBindings,
  showPortBinding,
} from './ports/port-binding-controller';
import { portDefinition } from './ports/port-definition';
import { qosPolicyDefinition, withQosPolicyAttribute } from './qos/qos-definitions';
import { qosRuleRoutes } from './qos/qos-rule-controller';
import {
  callerProject,
  listQuotas,
  resetQuota,
  showDefaultQuota,
  showQuota,
  showQuotaDetails,
  updateQuota,
} from './quotas/quota-controller';
import { rbacPolicyDefinition } from './rbac/rbac-policy-definition';
import { resourceRoutes } from './resource-controller';
import type { ResourceDefinition } from './resource-definition';
import { listCoreResources, listExtensions, listVersions, showExtension } from './root-controller';
import { floatingIpDefinition, routerDefinition } from './routers/router-definition';
import { withRouterFlags } from './routers/router-flag-attributes';
import { addRouterInterface, removeRouterInterface } from './routers/router-interface-controller';
import {
  securityGroupDefinition,
  securityGroupRuleDefinition,
} from './security-groups/security-group-definition';
import { segmentDefinition } from './segments/segment-definition';
import { listServiceProviders } from './service-provider-controller';
import { addressScopeDefinition, subnetPoolDefinition } from './subnet-pools/subnet-pool-definition';
import { subnetDefinition } from './subnets/subnet-definition';
import { trunkDefinition } from './trunks/trunk-definition';
import { changeSubports, getSubports } from './trunks/trunk-subport-controller';

/** Every resource of the API, in the order Neutron lists them. */
export const networkResources: readonly ResourceDefinition[] = [
  withQosPolicyAttribute(networkDefinition),
  subnetDefinition,
  withQosPolicyAttribute(portDefinition),
  securityGroupDefinition,
  securityGroupRuleDefinition,
  withRouterFlags(routerDefinition),
  floatingIpDefinition,
  segmentDefinition,
  agentDefinition,
  subnetPoolDefinition,
  addressScopeDefinition,
  rbacPolicyDefinition,
  meteringLabelDefinition,
  meteringLabelRuleDefinition,
  qosPolicyDefinition,
  addressGroupDefinition,
  trunkDefinition,
];

/** The network API's route table. */
export const networkRoutes: Route[] = [
  route('GET', '/', listVersions, { public: true }),
  route('GET', '/v2.0', listCoreResources),
  route('GET', '/v2.0/extensions', listExtensions),
  route('GET', '/v2.0/extensions/:alias', showExtension),
  route('PUT', '/v2.0/routers/:id/add_router_interface', addRouterInterface),
  route('PUT', '/v2.0/routers/:id/remove_router_interface', removeRouterInterface),
  route('GET', '/v2.0/service-providers', listServiceProviders),
  route('GET', '/v2.0/ports/:id/bindings', listPortBindings),
  route('POST', '/v2.0/ports/:id/bindings', createPortBinding),
  route('GET', '/v2.0/ports/:id/bindings/:host', showPortBinding),
  route('PUT', '/v2.0/ports/:id/bindings/:host/activate', activatePortBinding),
  route('DELETE', '/v2.0/ports/:id/bindings/:host', deletePortBinding, { status: 204 }),
  route('GET', '/v2.0/network-ip-availabilities', listIpAvailabilities),
  route('GET', '/v2.0/network-ip-availabilities/:id', showIpAvailability),
  route('GET', '/v2.0/quotas', listQuotas),
  route('GET', '/v2.0/quotas/project', callerProject('project')),
  route('GET', '/v2.0/quotas/tenant', callerProject('tenant')),
  route('GET', '/v2.0/quotas/:project_id', showQuota),
  route('GET', '/v2.0/quotas/:project_id/default', showDefaultQuota),
  route('GET', '/v2.0/quotas/:project_id/details', showQuotaDetails),
  // The form Tempest and openstacksdk ask for (Neutron accepts a `.json` suffix).
  route('GET', '/v2.0/quotas/:project_id/details.json', showQuotaDetails),
  route('PUT', '/v2.0/quotas/:project_id', updateQuota),
  route('DELETE', '/v2.0/quotas/:project_id', resetQuota),
  route('GET', '/v2.0/agents/:id/dhcp-networks', listDhcpNetworks),
  route('POST', '/v2.0/agents/:id/dhcp-networks', addDhcpNetwork),
  route('DELETE', '/v2.0/agents/:id/dhcp-networks/:resource_id', removeDhcpNetwork, { status: 204 }),
  route('GET', '/v2.0/networks/:id/dhcp-agents', listDhcpAgents),
  route('GET', '/v2.0/agents/:id/l3-routers', listL3Routers),
  route('POST', '/v2.0/agents/:id/l3-routers', addL3Router),
  route('DELETE', '/v2.0/agents/:id/l3-routers/:resource_id', removeL3Router, { status: 204 }),
  route('GET', '/v2.0/routers/:id/l3-agents', listL3Agents),
  ...qosRuleRoutes,
  route('GET', '/v2.0/trunks/:id/get_subports', getSubports),
  route('PUT', '/v2.0/trunks/:id/add_subports', changeSubports('add_subports')),
  route('PUT', '/v2.0/trunks/:id/remove_subports', changeSubports('remove_subports')),
  route('PUT', '/v2.0/address-groups/:id/add_addresses', changeAddresses('add_addresses')),
  route('PUT', '/v2.0/address-groups/:id/remove_addresses', changeAddresses('remove_addresses')),
  ...networkResources.flatMap(resourceRoutes),
];
