import type { Kysely } from 'kysely';
import { parseAddress } from './ip-math';

/** Addresses in a subnet's allocation pools. */
function poolSize(pools: string): number {
  let n = 0n;
  for (const p of JSON.parse(pools) as { start: string; end: string }[])
    n += parseAddress(p.end).value - parseAddress(p.start).value + 1n;
  return Number(n);
}

/** Filters of the availability list: values by attribute. */
export type AvailabilityFilters = Partial<Record<(typeof availabilityFilters)[number], string[]>>;

/** The attributes the list filters on. */
export const availabilityFilters = [
  'network_id',
  'network_name',
  'tenant_id',
  'project_id',
  'ip_version',
] as const;

/**
 * The IP availability of networks (`network-ip-availability`): for each network and each of
 * its subnets, the addresses of the allocation pools and those allocated.
 */
export async function ipAvailabilities(db: Kysely<any>, filters: AvailabilityFilters, networkId?: string) {
  const want = (k: keyof AvailabilityFilters) => filters[k];
  let nq = db.selectFrom('networks').select(['id', 'name', 'project_id']);
  if (networkId) nq = nq.where('id', '=', networkId);
  const ids = want('network_id');
  if (ids) nq = nq.where('id', 'in', ids);
  const names = want('network_name');
  if (names) nq = nq.where('name', 'in', names);
  const projects = [...(want('tenant_id') ?? []), ...(want('project_id') ?? [])];
  if (projects.length) nq = nq.where('project_id', 'in', projects);
  const networks = await nq.orderBy('id').execute();
  if (!networks.length) return [];
  const versions = want('ip_version')?.map(Number);
  let sq = db
    .selectFrom('subnets')
    .select(['id', 'name', 'cidr', 'ip_version', 'network_id', 'allocation_pools'])
    .where(
      'network_id',
      'in',
      networks.map((n) => n.id),
    );
  if (versions) sq = sq.where('ip_version', 'in', versions);
  const subnets = await sq.orderBy('created_at').orderBy('id').execute();
  const used = subnets.length
    ? await db
        .selectFrom('ip_allocations')
        .select(['subnet_id', (eb) => eb.fn.countAll().as('n')])
        .where(
          'subnet_id',
          'in',
          subnets.map((s) => s.id),
        )
        .groupBy('subnet_id')
        .execute()
    : [];
  const usedBy = new Map(used.map((u) => [u.subnet_id as string, Number(u.n)]));
  return networks
    .filter((n) => !versions || subnets.some((s) => s.network_id === n.id))
    .map((n) => {
      const mine = subnets
        .filter((s) => s.network_id === n.id)
        .map((s) => ({
          subnet_id: s.id,
          subnet_name: s.name,
          cidr: s.cidr,
          ip_version: Number(s.ip_version),
          total_ips: poolSize(s.allocation_pools),
          used_ips: usedBy.get(s.id) ?? 0,
        }));
      return {
        network_id: n.id,
        network_name: n.name,
        tenant_id: n.project_id,
        project_id: n.project_id,
        total_ips: mine.reduce((t, s) => t + s.total_ips, 0),
        used_ips: mine.reduce((t, s) => t + s.used_ips, 0),
        subnet_ip_availability: mine,
      };
    });
}
