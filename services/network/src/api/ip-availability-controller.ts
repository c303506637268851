import type { ApiRequest } from '@nimbus/http';
import { type AvailabilityFilters, availabilityFilters, ipAvailabilities } from '../manager/ip-availability';
import { httpBadRequest, notFoundErrors } from '../manager/network-errors';
import { policyNotAuthorized } from './call-context';
import type { NetworkServices } from './network-services';
import { contextOf } from './resource-access';

type Req = ApiRequest<unknown, NetworkServices>;

/** Policy (admin only) and the query's filters; unknown filters refused as lists do. */
function parse(req: Req): AvailabilityFilters {
  if (!contextOf(req).allowed('get_network_ip_availability', {}))
    throw policyNotAuthorized(['get_network_ip_availability']);
  const q = req.query as Record<string, unknown>;
  const unknown = Object.keys(q).filter((k) => !availabilityFilters.includes(k as never) && k !== 'fields');
  if (unknown.length && req.services.options.filterValidation)
    throw httpBadRequest(`[${unknown.map((k) => `'${k}'`).join(', ')}] is invalid attribute for filtering`);
  const out: AvailabilityFilters = {};
  for (const k of availabilityFilters) if (q[k] !== undefined) out[k] = [q[k]].flat().map(String);
  return out;
}

/** `GET /v2.0/network-ip-availabilities` with filters on network id, name, project and IP version. */
export async function listIpAvailabilities(req: Req) {
  return { network_ip_availabilities: await ipAvailabilities(req.services.db, parse(req)) };
}

/** `GET /v2.0/network-ip-availabilities/{network_id}`. */
export async function showIpAvailability(req: Req) {
  const [found] = await ipAvailabilities(req.services.db, parse(req), req.params.id);
  if (!found) throw notFoundErrors.network(req.params.id!);
  return { network_ip_availability: found };
}
