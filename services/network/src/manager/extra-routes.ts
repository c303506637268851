import type { Kysely } from 'kysely';
import { canonicalAddress, cidrContains, parseAddress, parseCidr } from './ip-math';
import { NeutronError } from './network-errors';

/** A router's extra route (`extraroute`): traffic for `destination` goes to `nexthop`. */
export interface ExtraRoute {
  destination: string;
  nexthop: string;
}

const invalidRoutes = (routes: readonly ExtraRoute[], reason: string) =>
  new NeutronError(
    'bad_request',
    'InvalidRoutes',
    `Invalid format for routes: ${JSON.stringify(routes)}, ${reason}.`,
  );

/** The subnets a router is attached to (interfaces and gateway) and its own addresses on them. */
async function connected(trx: Kysely<any>, routerId: string) {
  return trx
    .selectFrom('router_ports')
    .innerJoin('ip_allocations', 'ip_allocations.port_id', 'router_ports.port_id')
    .innerJoin('subnets', 'subnets.id', 'ip_allocations.subnet_id')
    .select(['ip_allocations.ip_address as ip', 'subnets.cidr as cidr', 'subnets.id as subnet_id'])
    .where('router_ports.router_id', '=', routerId)
    .execute();
}

/**
 * Normalizes and checks a router's new routes as the extraroute extension does: at most
 * `maxRoutes`, no duplicates, each nexthop on a subnet the router is attached to and not one of
 * the router's own addresses.
 */
export async function checkExtraRoutes(
  trx: Kysely<any>,
  routerId: string,
  routes: readonly ExtraRoute[],
  maxRoutes: number,
): Promise<ExtraRoute[]> {
  if (routes.length > maxRoutes)
    throw new NeutronError(
      'bad_request',
      'RoutesExhausted',
      `Unable to complete operation for ${routerId}. The number of routes exceeds the maximum ${maxRoutes}.`,
    );
  const out = routes.map((r) => ({
    destination: parseCidr(r.destination).network,
    nexthop: canonicalAddress(r.nexthop),
  }));
  const keys = out.map((r) => `${r.destination} ${r.nexthop}`);
  if (new Set(keys).size !== keys.length) throw invalidRoutes(routes, 'duplicate routes');
  const attached = await connected(trx, routerId);
  for (const r of out) {
    const hop = parseAddress(r.nexthop);
    if (attached.some((a) => canonicalAddress(a.ip) === r.nexthop))
      throw invalidRoutes([r], 'the nexthop is used by router');
    if (!attached.some((a) => cidrContains(parseCidr(a.cidr), hop)))
      throw invalidRoutes([r], 'the nexthop is not connected with router');
  }
  return out;
}

/** Refuses detaching a subnet that a route's nexthop needs. */
export function checkRoutesKeepSubnet(
  routerId: string,
  routes: readonly ExtraRoute[],
  subnet: { id: string; cidr: string },
): void {
  const cidr = parseCidr(subnet.cidr);
  if (routes.some((r) => cidrContains(cidr, parseAddress(r.nexthop))))
    throw new NeutronError(
      'conflict',
      'RouterInterfaceInUseByRoute',
      `Router interface for subnet ${subnet.id} on router ${routerId} cannot be deleted, as it is required by one or more routes.`,
    );
}
