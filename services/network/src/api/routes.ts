import { type Route, route } from '@nimbus/http';
import { networkDefinition } from './networks/network-definition';
import { portDefinition } from './ports/port-definition';
import {
  callerProject,
  listQuotas,
  resetQuota,
  showDefaultQuota,
  showQuota,
  showQuotaDetails,
  updateQuota,
} from './quotas/quota-controller';
import { resourceRoutes } from './resource-controller';
import type { ResourceDefinition } from './resource-definition';
import { listCoreResources, listExtensions, listVersions, showExtension } from './root-controller';
import { floatingIpDefinition, routerDefinition } from './routers/router-definition';
import { addRouterInterface, removeRouterInterface } from './routers/router-interface-controller';
import {
  securityGroupDefinition,
  securityGroupRuleDefinition,
} from './security-groups/security-group-definition';
import { subnetDefinition } from './subnets/subnet-definition';

/** Every resource of the API, in the order Neutron lists them. */
export const networkResources: readonly ResourceDefinition[] = [
  networkDefinition,
  subnetDefinition,
  portDefinition,
  securityGroupDefinition,
  securityGroupRuleDefinition,
  routerDefinition,
  floatingIpDefinition,
];

/** The network API's route table. */
export const networkRoutes: Route[] = [
  route('GET', '/', listVersions, { public: true }),
  route('GET', '/v2.0', listCoreResources),
  route('GET', '/v2.0/extensions', listExtensions),
  route('GET', '/v2.0/extensions/:alias', showExtension),
  route('PUT', '/v2.0/routers/:id/add_router_interface', addRouterInterface),
  route('PUT', '/v2.0/routers/:id/remove_router_interface', removeRouterInterface),
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
  ...networkResources.flatMap(resourceRoutes),
];
