import { route, type Route } from '@nimbus/http';
import type { PolicyAssociationTarget } from '../../db/repositories/endpoint-policy-repository';
import type { EndpointPolicyManager } from '../../manager/catalog/endpoint-policy-manager';
import type { ExtensionManagers } from '../../manager/ext/extension-managers';
import { policyView } from '../ext/policy-controller';
import { type IdentityRequest, v3Url } from '../keystone-api';
import { endpointView } from './catalog-view';

/** What the OS-ENDPOINT-POLICY controller reads of `req.services`. */
export interface EndpointPolicyServices {
  endpointPolicy: EndpointPolicyManager;
  extensions: ExtensionManagers;
}

type Req = IdentityRequest<unknown, EndpointPolicyServices>;

const base = '/v3/policies/:policy_id/OS-ENDPOINT-POLICY';
const ep = (req: Req) => req.services.endpointPolicy;

/** The association routes of one target kind: PUT associates, GET/HEAD checks, DELETE removes. */
function associationRoutes(
  path: string,
  kind: string,
  target: (req: Req) => PolicyAssociationTarget,
): Route[] {
  const check = async (req: Req) => {
    req.authorize(`identity:check_policy_association_for_${kind}`, {});
    await ep(req).check(req.params.policy_id!, target(req));
  };
  return [
    route('PUT', `${base}${path}`, async (req: Req) => {
      req.authorize(`identity:create_policy_association_for_${kind}`, {});
      await ep(req).associate(req.params.policy_id!, target(req));
    }),
    route('GET', `${base}${path}`, check),
    route('HEAD', `${base}${path}`, check),
    route('DELETE', `${base}${path}`, async (req: Req) => {
      req.authorize(`identity:delete_policy_association_for_${kind}`, {});
      await ep(req).dissociate(req.params.policy_id!, target(req));
    }),
  ];
}

async function endpointsForPolicy(req: Req) {
  req.authorize('identity:list_endpoints_for_policy', {});
  const endpoints = await ep(req).endpointsForPolicy(req.params.policy_id!);
  return {
    endpoints: endpoints.map((e) => endpointView(req, e)),
    links: {
      self: v3Url(req, `/policies/${req.params.policy_id}/OS-ENDPOINT-POLICY/endpoints`),
      previous: null,
      next: null,
    },
  };
}

async function policyForEndpoint(req: Req) {
  req.authorize('identity:get_policy_for_endpoint', {});
  const id = await ep(req).policyIdForEndpoint(req.params.endpoint_id!);
  const policy = await req.services.extensions.policies.get(id);
  return {
    policy: policyView(req as never, policy),
    links: {
      self: v3Url(req, `/endpoints/${req.params.endpoint_id}/OS-ENDPOINT-POLICY/policy`),
      previous: null,
      next: null,
    },
  };
}

/** `OS-ENDPOINT-POLICY`: policy blobs associated with endpoints, services and service regions. */
export const endpointPolicyRoutes: Route[] = [
  ...associationRoutes('/endpoints/:endpoint_id', 'endpoint', (req) => ({
    endpointId: req.params.endpoint_id!,
  })),
  ...associationRoutes('/services/:service_id', 'service', (req) => ({ serviceId: req.params.service_id! })),
  ...associationRoutes('/services/:service_id/regions/:region_id', 'region_and_service', (req) => ({
    serviceId: req.params.service_id!,
    regionId: req.params.region_id!,
  })),
  route('GET', `${base}/endpoints`, endpointsForPolicy),
  route('HEAD', `${base}/endpoints`, endpointsForPolicy),
  route('GET', '/v3/endpoints/:endpoint_id/OS-ENDPOINT-POLICY/policy', policyForEndpoint),
  route('HEAD', '/v3/endpoints/:endpoint_id/OS-ENDPOINT-POLICY/policy', policyForEndpoint),
];
