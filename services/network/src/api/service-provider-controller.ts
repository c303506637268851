import type { ApiRequest } from '@nimbus/http';
import { policyNotAuthorized } from './call-context';
import { parseFields } from './list-query';
import type { NetworkServices } from './network-services';
import { contextOf } from './resource-access';

type Req = ApiRequest<unknown, NetworkServices>;

/**
 * The providers of the advanced services this server runs (`service-type`): the L3 router
 * plugin's one flavor of router, a legacy single-node router (no DVR, no HA).
 */
const serviceProviders = [{ service_type: 'L3_ROUTER_NAT', name: 'single_node', default: true }];

/** `GET /v2.0/service-providers`, with `fields=` and equality filters on its three attributes. */
export function listServiceProviders(req: Req) {
  if (!contextOf(req).allowed('get_service_provider', {}))
    throw policyNotAuthorized(['get_service_provider']);
  const fields = parseFields(req.query);
  const q = req.query as Record<string, unknown>;
  const match = (p: Record<string, unknown>) =>
    ['service_type', 'name', 'default'].every((k) => {
      const want = q[k];
      if (want === undefined) return true;
      return [want].flat().some((w) => String(w).toLowerCase() === String(p[k]).toLowerCase());
    });
  const shown = serviceProviders
    .filter(match)
    .map((p) =>
      fields.length ? Object.fromEntries(Object.entries(p).filter(([k]) => fields.includes(k))) : p,
    );
  return { service_providers: shown };
}
