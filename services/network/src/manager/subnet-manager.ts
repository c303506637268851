import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { Kysely } from 'kysely';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { NOT_SPECIFIED } from '../api/subnets/subnet-definition';
import { inTransaction, type Resource, ResourceStore, type Scope } from '../db/resource-store';
import {
  type Cidr,
  canonicalAddress,
  cidrsOverlap,
  defaultPools,
  formatAddress,
  parseCidr,
  type Range,
} from './ip-math';
import { invalidInput, NeutronError, notFoundErrors, subnetInUse } from './network-errors';
import type { NetworkManager } from './network-manager';
import type { SubnetPoolManager } from './subnet-pool-manager';
import { checkGateway, checkIpv6Modes, checkLists, checkPools } from './subnet-validation';
import { setTags } from './tags';

/** Stored subnet attributes. */
export const subnetColumns = {
  network_id: 'string',
  ip_version: 'int',
  cidr: 'string',
  gateway_ip: 'string',
  enable_dhcp: 'bool',
  ipv6_ra_mode: 'string',
  ipv6_address_mode: 'string',
  allocation_pools: 'json',
  dns_nameservers: 'json',
  host_routes: 'json',
  service_types: 'json',
  subnetpool_id: 'string',
  segment_id: 'string',
  dns_publish_fixed_ip: 'bool',
} as const;

/** Limits from configuration. */
export interface SubnetLimits {
  maxDnsNameservers: number;
  maxHostRoutes: number;
}

/** Whether a subnet's addresses come from the MAC (SLAAC or DHCPv6-stateless). */
export const isAutoAddress = (s: Resource) =>
  s.ipv6_address_mode === 'slaac' || s.ipv6_address_mode === 'dhcpv6-stateless';

/**
 * Who sees a subnet: its project, users of a network shared with them (everyone's, or their
 * project's by a policy), admins all. An external network lends its subnets to no one: this is
 * exactly `get_subnet`'s rule, so a page cut by `limit` loses nothing to the policy check after.
 */
export function subnetScope(ctx: CallContext): Scope | undefined {
  if (ctx.isAdmin) return undefined;
  return (qb) =>
    qb.where((eb) =>
      eb.or([
        eb('project_id', '=', ctx.projectId ?? ''),
        eb(
          'network_id',
          'in',
          eb
            .selectFrom('networks')
            .select('id')
            .where((w) =>
              w.or([
                w('shared', '=', true),
                w(
                  'id',
                  'in',
                  w
                    .selectFrom('rbac_policies')
                    .select('object_id')
                    .where('object_type', '=', 'network')
                    .where('action', '=', 'access_as_shared')
                    .where('target_tenant', 'in', [ctx.projectId ?? '', '*']),
                ),
              ]),
            ),
        ),
      ]),
    );
}

/**
 * Subnets: CIDRs checked against the network's other subnets, the gateway and pools computed
 * or validated as Neutron's IPAM does, IPv6 modes checked, deletion refused while ports hold
 * addresses from the subnet (automatic addresses excepted).
 */
export class SubnetManager implements ResourceHandlers {
  readonly store: ResourceStore;

  constructor(
    private readonly db: Database<any>,
    private readonly networks: NetworkManager,
    private readonly limits: SubnetLimits,
    private readonly pools: SubnetPoolManager,
  ) {
    this.store = new ResourceStore(db, 'subnets', subnetColumns);
  }

  list(ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    const { shared, ...filters } = query.filters;
    const scope = subnetScope(ctx);
    if (!shared) return this.store.list(query, scope);
    // `shared` is the network's: shared with everyone, or with the caller's project by a policy.
    const wanted = shared.map(Boolean);
    const sharedNetworks = (eb: any) =>
      eb
        .selectFrom('networks')
        .select('id')
        .where((w: any) =>
          w.or([
            w('shared', '=', true),
            w(
              'id',
              'in',
              w
                .selectFrom('rbac_policies')
                .select('object_id')
                .where('object_type', '=', 'network')
                .where('action', '=', 'access_as_shared')
                .where('target_tenant', 'in', [ctx.projectId ?? '', '*']),
            ),
          ]),
        );
    return this.store.list({ ...query, filters }, (qb) => {
      const q = scope ? scope(qb) : qb;
      if (wanted.includes(true) && wanted.includes(false)) return q;
      return q.where((eb) => eb('network_id', wanted[0] ? 'in' : 'not in', sharedNetworks(eb)));
    });
  }

  get(ctx: CallContext, id: string): Promise<Resource | undefined> {
    return this.store.get(this.db.kysely, id, subnetScope(ctx));
  }

  policyTarget(ctx: CallContext, item: Resource): Promise<Record<string, unknown>> {
    return this.networks.policyTargetOf(ctx, item.network_id as string);
  }

  async create(ctx: CallContext, asked: Resource): Promise<Resource> {
    let item = asked;
    const network = await this.networks.get(ctx, item.network_id as string);
    if (!network) throw notFoundErrors.network(item.network_id as string);
    if (!ctx.isAdmin && !network.shared && network.project_id !== item.project_id) {
      throw new NeutronError('not_found', 'HTTPNotFound', 'The resource could not be found.');
    }
    // A subnet from a pool: its CIDR picked (or checked) here, and checked again in the insert's
    // transaction, where a concurrent allocation from the same pool would show.
    const pool = await this.pools.poolFor(this.db.kysely, ctx, item);
    if (pool)
      item = { ...item, subnetpool_id: pool.id, cidr: await this.pools.allocate(this.db.kysely, pool, item) };
    if (item.cidr === NOT_SPECIFIED)
      throw new NeutronError(
        'bad_request',
        'BadRequest',
        'Bad subnet request: a subnetpool must be specified in the absence of a cidr.',
      );
    const cidr = parseCidr(item.cidr as string);
    if (cidr.version !== item.ip_version)
      throw invalidInput(`Cidr ${item.cidr} does not match ip_version ${item.ip_version}`);
    if (!cidr.exact)
      throw invalidInput(
        `'${item.cidr}' isn't a recognized IP subnet cidr, '${cidr.network}' is recommended`,
      );
    checkIpv6Modes(item);
    let gateway: string | null;
    if (item.gateway_ip === NOT_SPECIFIED)
      gateway =
        cidr.first === cidr.last ? null : formatAddress({ version: cidr.version, value: cidr.first + 1n });
    else gateway = item.gateway_ip === null ? null : canonicalAddress(item.gateway_ip as string);
    if (gateway) checkGateway(cidr, gateway);
    const pools =
      item.allocation_pools === NOT_SPECIFIED
        ? defaultPools(cidr, gateway)
        : checkPools(cidr, item.allocation_pools as PoolBody[], gateway);
    checkLists(item, cidr, this.limits);
    return inTransaction(this.db, async (trx) => {
      if (pool) await this.pools.allocate(trx, pool, { ...item, cidr: cidr.network });
      const siblings = await trx
        .selectFrom('subnets')
        .select(['id', 'cidr'])
        .where('network_id', '=', item.network_id as string)
        .execute();
      for (const s of siblings) {
        if (cidrsOverlap(cidr, parseCidr(s.cidr))) {
          throw invalidInput(
            `Requested subnet with cidr: ${cidr.network} for network: ${item.network_id} overlaps with another subnet`,
          );
        }
      }
      const { prefixlen: _p, use_default_subnetpool: _d, ...rest } = item;
      const row = await this.store.insert(trx, {
        ...rest,
        id: randomUUID(),
        cidr: cidr.network,
        gateway_ip: gateway,
        allocation_pools: pools.map((r) => poolView(cidr, r)),
        dns_nameservers: (item.dns_nameservers as string[]).map(canonicalAddress),
      });
      await this.networks.store.touch(trx, item.network_id as string);
      return row;
    });
  }

  async update(_ctx: CallContext, current: Resource, changes: Resource): Promise<Resource> {
    const cidr = parseCidr(current.cidr as string);
    const merged = { ...current, ...changes };
    const out: Resource = { ...changes };
    if ('gateway_ip' in changes) {
      out.gateway_ip = changes.gateway_ip === null ? null : canonicalAddress(changes.gateway_ip as string);
      if (out.gateway_ip) checkGateway(cidr, out.gateway_ip as string);
    }
    if ('allocation_pools' in changes) {
      out.allocation_pools = checkPools(
        cidr,
        changes.allocation_pools as PoolBody[],
        merged.gateway_ip as string | null,
      ).map((r) => poolView(cidr, r));
    } else if ('gateway_ip' in changes && out.gateway_ip) {
      checkPools(cidr, current.allocation_pools as PoolBody[], out.gateway_ip as string);
    }
    if ('dns_nameservers' in changes)
      out.dns_nameservers = (changes.dns_nameservers as string[]).map(canonicalAddress);
    checkLists({ ...changes, id: current.id }, cidr, this.limits);
    return inTransaction(this.db, async (trx) => {
      await this.store.update(trx, current.id as string, out);
      return (await this.store.get(trx, current.id as string))!;
    });
  }

  async delete(_ctx: CallContext, current: Resource): Promise<void> {
    const id = current.id as string;
    await inTransaction(this.db, async (trx) => {
      // Automatic (SLAAC) addresses of ordinary ports go with the subnet; any other blocks it.
      const held = await this.heldBy(trx, id);
      const auto = isAutoAddress(current);
      const blocking = held.filter(
        (p) =>
          !(auto && !String(p.device_owner).startsWith('network:router')) &&
          !String(p.device_owner).startsWith('network:dhcp'),
      );
      if (blocking.length) throw subnetInUse(id);
      await trx.deleteFrom('ip_allocations').where('subnet_id', '=', id).execute();
      await this.store.delete(trx, id);
      await this.networks.store.touch(trx, current.network_id as string);
    });
  }

  private heldBy(trx: Kysely<any>, subnetId: string) {
    return trx
      .selectFrom('ip_allocations')
      .innerJoin('ports', 'ports.id', 'ip_allocations.port_id')
      .select(['ports.id', 'ports.device_owner'])
      .where('ip_allocations.subnet_id', '=', subnetId)
      .execute();
  }

  async setTags(_ctx: CallContext, current: Resource, tags: string[]): Promise<void> {
    await setTags(this.db, this.store, current.id as string, tags);
  }
}

/** An allocation pool as the API writes it. */
export interface PoolBody {
  start: string;
  end: string;
}

function poolView(cidr: Cidr, r: Range): PoolBody {
  return {
    start: formatAddress({ version: cidr.version, value: r.first }),
    end: formatAddress({ version: cidr.version, value: r.last }),
  };
}
