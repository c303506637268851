import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { Kysely } from 'kysely';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { inTransaction, type Resource, ResourceStore, type Scope } from '../db/resource-store';
import type { NetworkDriver } from '../drivers/driver-api';
import { httpBadRequest, networkInUse } from './network-errors';
import { setTags } from './tags';

/** Overhead of each tunnel type on the physical MTU (Neutron's ML2 type drivers). */
const TUNNEL_OVERHEAD: Record<string, number> = { vxlan: 50, geneve: 58, gre: 42 };
const NETWORK_TYPES = ['flat', 'vlan', 'vxlan', 'geneve', 'gre', 'local'];

/** Stored network attributes. */
export const networkColumns = {
  admin_state_up: 'bool',
  status: 'string',
  shared: 'bool',
  'router:external': 'bool',
  is_default: 'bool',
  mtu: 'int',
  port_security_enabled: 'bool',
  'provider:network_type': 'string',
  'provider:physical_network': 'string',
  'provider:segmentation_id': 'int',
  availability_zone_hints: 'json',
} as const;

/** Who sees a network: its project, everyone when shared or external, admins all. */
export function networkScope(ctx: CallContext): Scope | undefined {
  if (ctx.isAdmin) return undefined;
  return (qb) =>
    qb.where((eb) =>
      eb.or([
        eb('project_id', '=', ctx.projectId ?? ''),
        eb('shared', '=', true),
        eb('router_external', '=', true),
      ]),
    );
}

/**
 * Networks: segments chosen as ML2's tenant network type (VXLAN ids handed out in order), MTU
 * from the physical MTU less the tunnel overhead, deletion refused while user ports remain.
 */
export class NetworkManager implements ResourceHandlers {
  readonly store: ResourceStore;
  /** Network policy targets by request context (contexts live for one request). */
  private readonly targets = new WeakMap<CallContext, Map<string, Promise<Record<string, unknown>>>>();

  constructor(
    private readonly db: Database<any>,
    private readonly driver: NetworkDriver,
    private readonly physnetMtu: number,
  ) {
    this.store = new ResourceStore(db, 'networks', networkColumns);
  }

  async list(ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    const items = await this.store.list(query, networkScope(ctx));
    return this.decorate(this.db.kysely, items);
  }

  async get(ctx: CallContext, id: string): Promise<Resource | undefined> {
    const item = await this.store.get(this.db.kysely, id, networkScope(ctx));
    return item && (await this.decorate(this.db.kysely, [item]))[0];
  }

  /**
   * What policy checks of a subnet or port read of its network (`network:tenant_id`, `shared`,
   * `router:external`), looked up once per request and network: a page of 100 ports on one
   * network costs one query.
   */
  policyTargetOf(ctx: CallContext, networkId: string): Promise<Record<string, unknown>> {
    let perRequest = this.targets.get(ctx);
    if (!perRequest) {
      perRequest = new Map();
      this.targets.set(ctx, perRequest);
    }
    let target = perRequest.get(networkId);
    if (!target) {
      target = this.store.get(this.db.kysely, networkId).then((net) =>
        net
          ? {
              'network:tenant_id': net.project_id,
              'network:project_id': net.project_id,
              shared: net.shared,
              'router:external': net['router:external'],
            }
          : {},
      );
      perRequest.set(networkId, target);
    }
    return target;
  }

  /** Adds the computed attributes: subnet ids, AZs, L2 adjacency. */
  async decorate(trx: Kysely<any>, items: Resource[]): Promise<Resource[]> {
    if (!items.length) return items;
    const subnets = await trx
      .selectFrom('subnets')
      .select(['id', 'network_id'])
      .where(
        'network_id',
        'in',
        items.map((i) => i.id as string),
      )
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const item of items) {
      item.subnets = subnets.filter((s) => s.network_id === item.id).map((s) => s.id);
      item.availability_zones = [];
      item.l2_adjacency = true;
      item.ipv4_address_scope = null;
      item.ipv6_address_scope = null;
      delete item.is_default;
    }
    return items;
  }

  async create(_ctx: CallContext, item: Resource): Promise<Resource> {
    return inTransaction(this.db, async (trx) => {
      const segment = await this.segment(trx, item);
      const requestedMtu = item.mtu as number;
      const mtu = requestedMtu || this.defaultMtu(segment.type);
      const row = await this.store.insert(trx, {
        ...item,
        id: randomUUID(),
        status: 'ACTIVE',
        is_default: false,
        mtu,
        'provider:network_type': segment.type,
        'provider:physical_network': segment.physnet,
        'provider:segmentation_id': segment.id,
      });
      await this.driver.networkCreated?.({
        id: row.id as string,
        networkType: segment.type,
        segmentationId: segment.id,
      });
      return (await this.decorate(trx, [row]))[0]!;
    });
  }

  private async segment(
    trx: Kysely<any>,
    item: Resource,
  ): Promise<{ type: string; physnet: string | null; id: number | null }> {
    const type = (item['provider:network_type'] as string | null) ?? 'vxlan';
    if (!NETWORK_TYPES.includes(type))
      throw httpBadRequest(`Invalid input for operation: network_type value '${type}' not supported.`);
    const physnet =
      (item['provider:physical_network'] as string | null) ??
      (type === 'flat' || type === 'vlan' ? 'physnet1' : null);
    let id = item['provider:segmentation_id'] as number | null;
    if (id === null && ['vxlan', 'geneve', 'gre', 'vlan'].includes(type)) {
      const row = await trx
        .selectFrom('networks')
        .select((eb) => eb.fn.max('provider_segmentation_id').as('max'))
        .where('provider_network_type', '=', type)
        .executeTakeFirst();
      id = Number(row?.max ?? 0) + 1;
    }
    return { type, physnet, id };
  }

  private defaultMtu(type: string): number {
    return this.physnetMtu - (TUNNEL_OVERHEAD[type] ?? 0);
  }

  async update(_ctx: CallContext, current: Resource, changes: Resource): Promise<Resource> {
    return inTransaction(this.db, async (trx) => {
      await this.store.update(trx, current.id as string, changes);
      const row = (await this.store.get(trx, current.id as string))!;
      return (await this.decorate(trx, [row]))[0]!;
    });
  }

  async delete(_ctx: CallContext, current: Resource): Promise<void> {
    const id = current.id as string;
    await inTransaction(this.db, async (trx) => {
      // Floating IPs of an external network go with it; so do the ports the service made for
      // itself (DHCP, floating IPs). Any other port blocks it.
      await trx.deleteFrom('floatingips').where('floating_network_id', '=', id).execute();
      const ports = await trx
        .selectFrom('ports')
        .select(['id', 'device_owner'])
        .where('network_id', '=', id)
        .execute();
      const own = (owner: string) => owner.startsWith('network:dhcp') || owner === 'network:floatingip';
      if (ports.some((p) => !own(String(p.device_owner)))) throw networkInUse(id);
      if (ports.length) await trx.deleteFrom('ports').where('network_id', '=', id).execute();
      const subnets = await trx.selectFrom('subnets').select('id').where('network_id', '=', id).execute();
      for (const s of subnets) await trx.deleteFrom('tags').where('resource_id', '=', s.id).execute();
      await trx.deleteFrom('subnets').where('network_id', '=', id).execute();
      await this.store.delete(trx, id);
    });
    await this.driver.networkDeleted?.(id);
  }

  async setTags(_ctx: CallContext, current: Resource, tags: string[]): Promise<void> {
    await setTags(this.db, this.store, current.id as string, tags);
  }
}
