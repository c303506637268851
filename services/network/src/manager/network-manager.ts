import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { Kysely } from 'kysely';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { inTransaction, type Resource, ResourceStore, type Scope } from '../db/resource-store';
import { withRetries } from '../db/retryable';
import type { NetworkDriver } from '../drivers/driver-api';
import type { Segment } from './ml2/type-driver';
import type { TypeManager } from './ml2/type-manager';
import { invalidInput, networkInUse } from './network-errors';
import { rbacTargeting, setNetworkWildcard } from './rbac-policy-manager';
import { setTags } from './tags';

/** Stored segment attributes (`network_segments`). */
export const segmentColumns = {
  network_id: 'string',
  network_type: 'string',
  physical_network: 'string',
  segmentation_id: 'int',
  segment_index: 'int',
} as const;

const PROVIDER = ['provider:network_type', 'provider:physical_network', 'provider:segmentation_id'] as const;

/** A stored segment as a type manager segment. */
export const segmentOf = (row: Resource): Segment => ({
  networkType: row.network_type as string,
  physicalNetwork: (row.physical_network as string | null) ?? null,
  segmentationId: (row.segmentation_id as number | null) ?? null,
});

/** A segment as the provider attributes show it. */
const providerView = (s: Segment) => ({
  'provider:network_type': s.networkType,
  'provider:physical_network': s.physicalNetwork,
  'provider:segmentation_id': s.segmentationId,
});

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

/** Who sees a network: its project, everyone when shared or external, projects an RBAC policy names, admins all. */
export function networkScope(ctx: CallContext): Scope | undefined {
  if (ctx.isAdmin) return undefined;
  return (qb) =>
    qb.where((eb) =>
      eb.or([
        eb('project_id', '=', ctx.projectId ?? ''),
        eb('shared', '=', true),
        eb(
          'id',
          'in',
          eb
            .selectFrom('rbac_policies')
            .select('object_id')
            .where('object_type', '=', 'network')
            .where('target_tenant', 'in', [ctx.projectId ?? '', '*']),
        ),
      ]),
    );
}

/**
 * Networks: segments from the provider attributes or `segments` (admins) or else from ML2's
 * project network types (ids from the type's ranges, never shared), MTU the smallest of the
 * segments', deletion refused while user ports remain.
 */
export class NetworkManager implements ResourceHandlers {
  readonly store: ResourceStore;
  readonly segments: ResourceStore;
  /** Network policy targets by request context (contexts live for one request). */
  private readonly targets = new WeakMap<CallContext, Map<string, Promise<Record<string, unknown>>>>();

  constructor(
    private readonly db: Database<any>,
    private readonly driver: NetworkDriver,
    readonly types: TypeManager,
    private readonly retries: number,
  ) {
    this.store = new ResourceStore(db, 'networks', networkColumns);
    this.segments = new ResourceStore(db, 'network_segments', segmentColumns);
  }

  async list(ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    const items = await this.store.list(query, networkScope(ctx));
    return this.sharedWith(ctx, await this.decorate(this.db.kysely, items));
  }

  async get(ctx: CallContext, id: string): Promise<Resource | undefined> {
    const item = await this.store.get(this.db.kysely, id, networkScope(ctx));
    return item && (await this.sharedWith(ctx, await this.decorate(this.db.kysely, [item])))[0];
  }

  /**
   * A network the caller may see with its stored attributes only (`shared` as the caller sees
   * it), without the computed ones `get` adds: for checks on a port's or subnet's create, which
   * read no more and run on every create.
   */
  async getStored(ctx: CallContext, id: string): Promise<Resource | undefined> {
    const item = await this.store.get(this.db.kysely, id, networkScope(ctx));
    return item && (await this.sharedWith(ctx, [item]))[0];
  }

  /** A network shared with the caller's project by an RBAC policy shows `shared` to it, as upstream. */
  private async sharedWith(ctx: CallContext, items: Resource[]): Promise<Resource[]> {
    const others = items.filter((i) => !i.shared && i.project_id !== ctx.projectId);
    if (!others.length || !ctx.projectId) return items;
    const rows = await rbacTargeting(this.db.kysely, ctx.projectId)
      .where(
        'object_id',
        'in',
        others.map((i) => i.id as string),
      )
      .execute();
    const ids = new Set(rows.map((r) => r.object_id));
    for (const i of others) if (ids.has(i.id)) i.shared = true;
    return items;
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
      target = this.store.get(this.db.kysely, networkId).then(async (net) =>
        net
          ? {
              'network:tenant_id': net.project_id,
              'network:project_id': net.project_id,
              shared: net.shared || (await this.sharedWith(ctx, [net]))[0]!.shared,
              'router:external': net['router:external'],
            }
          : {},
      );
      perRequest.set(networkId, target);
    }
    return target;
  }

  /** A network's segments, in order. */
  async segmentsOf(trx: Kysely<any>, networkId: string): Promise<Resource[]> {
    const rows = await this.segments.where(trx, 'network_id', [networkId]);
    return rows.sort((a, b) => (a.segment_index as number) - (b.segment_index as number));
  }

  /**
   * Adds the computed attributes: subnet ids, AZs, L2 adjacency, and the segments of a network
   * that has several (`segments`, as multi-provider shows them, instead of `provider:*`).
   */
  async decorate(trx: Kysely<any>, items: Resource[]): Promise<Resource[]> {
    if (!items.length) return items;
    const segs = await trx
      .selectFrom('network_segments')
      .select(['network_id', 'network_type', 'physical_network', 'segmentation_id', 'segment_index'])
      .where(
        'network_id',
        'in',
        items.map((i) => i.id as string),
      )
      .orderBy('segment_index')
      .execute();
    // A network is in an address scope when its subnets of that IP version come from a pool in it.
    const scopes = await trx
      .selectFrom('subnets')
      .innerJoin('subnetpools', 'subnetpools.id', 'subnets.subnetpool_id')
      .select([
        'subnets.network_id as network_id',
        'subnetpools.ip_version as v',
        'subnetpools.address_scope_id as scope',
      ])
      .where(
        'subnets.network_id',
        'in',
        items.map((i) => i.id as string),
      )
      .where('subnetpools.address_scope_id', 'is not', null)
      .execute();
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
      const scopeOf = (v: number) =>
        scopes.find((x) => x.network_id === item.id && Number(x.v) === v)?.scope ?? null;
      item.ipv4_address_scope = scopeOf(4);
      item.ipv6_address_scope = scopeOf(6);
      delete item.is_default;
      const mine = segs.filter((g) => g.network_id === item.id);
      if (mine.length > 1) {
        item.segments = mine.map((g) => providerView(segmentOf(g)));
        for (const k of PROVIDER) delete item[k];
      } else {
        delete item.segments;
        if (mine[0]) Object.assign(item, providerView(segmentOf(mine[0])));
      }
    }
    return items;
  }

  /** The segments a create asks for (`segments` or `provider:*`), or null for a project network. */
  private requestedSegments(item: Resource): Segment[] | null {
    const multi = item.segments as Record<string, unknown>[] | null | undefined;
    const single = PROVIDER.some((k) => item[k] !== null && item[k] !== undefined);
    if (multi && single) throw invalidInput('Segments and provider values cannot both be set.');
    const requests = (multi ?? (single ? [item] : [])).map((r) => ({
      networkType: (r['provider:network_type'] as string | null | undefined) ?? '',
      physicalNetwork: (r['provider:physical_network'] as string | null | undefined) ?? null,
      segmentationId: (r['provider:segmentation_id'] as number | null | undefined) ?? null,
    }));
    if (!requests.length) return null;
    for (const r of requests) if (!r.networkType) throw invalidInput('provider:network_type required');
    const keys = requests.map((r) => JSON.stringify(r));
    if (new Set(keys).size !== keys.length) throw invalidInput('Duplicate segment entry in request.');
    return requests;
  }

  async create(_ctx: CallContext, item: Resource): Promise<Resource> {
    const requests = this.requestedSegments(item);
    if (requests) this.types.validate(requests);
    const { segments: _multi, ...fields } = item;
    let first: Segment | undefined;
    const created = await withRetries(this.retries, () =>
      inTransaction(this.db, async (trx) => {
        const id = randomUUID();
        const segments = await this.types.reserve(trx, id, requests);
        first = segments[0]!;
        const maxMtu = this.types.mtu(segments);
        const requestedMtu = item.mtu as number;
        if (requestedMtu > maxMtu) throw invalidInput(`Requested MTU is too big, maximum is ${maxMtu}`);
        const row = await this.store.insert(trx, {
          ...fields,
          id,
          status: 'ACTIVE',
          is_default: false,
          mtu: requestedMtu || maxMtu,
          ...providerView(first),
        });
        if (row.shared)
          await setNetworkWildcard(trx, { id, project_id: row.project_id }, 'access_as_shared', true);
        if (row['router:external'])
          await setNetworkWildcard(trx, { id, project_id: row.project_id }, 'access_as_external', true);
        for (const [index, s] of segments.entries())
          await this.segments.insert(trx, {
            id: randomUUID(),
            network_id: id,
            name: null,
            description: '',
            network_type: s.networkType,
            physical_network: s.physicalNetwork,
            segmentation_id: s.segmentationId,
            segment_index: index,
          });
        return (await this.decorate(trx, [row]))[0]!;
      }),
    );
    await this.driver.networkCreated?.({
      id: created.id as string,
      networkType: first!.networkType,
      segmentationId: first!.segmentationId,
    });
    return created;
  }

  async update(_ctx: CallContext, current: Resource, changes: Resource): Promise<Resource> {
    const providerChange =
      PROVIDER.some((k) => k in changes && changes[k] !== current[k]) ||
      ('segments' in changes &&
        JSON.stringify(changes.segments) !== JSON.stringify(current.segments ?? null));
    if (providerChange) throw invalidInput('Plugin does not support updating provider attributes');
    const { segments: _s, ...rest } = changes;
    if (typeof rest.mtu === 'number' && rest.mtu > 0) {
      const segments = await this.segmentsOf(this.db.kysely, current.id as string);
      const maxMtu = this.types.mtu(segments.map(segmentOf));
      if (rest.mtu > maxMtu) throw invalidInput(`Requested MTU is too big, maximum is ${maxMtu}`);
    }
    for (const k of PROVIDER) delete rest[k];
    return inTransaction(this.db, async (trx) => {
      // The stored flags, not the caller's view (a network shared with the caller shows `shared`).
      const stored = (await this.store.get(trx, current.id as string))!;
      const net = { id: current.id as string, project_id: current.project_id };
      if ('shared' in rest && rest.shared !== stored.shared)
        await setNetworkWildcard(trx, net, 'access_as_shared', Boolean(rest.shared));
      if ('router:external' in rest && rest['router:external'] !== stored['router:external'])
        await setNetworkWildcard(trx, net, 'access_as_external', Boolean(rest['router:external']));
      await this.store.update(trx, current.id as string, rest);
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
      await this.types.release(trx, id);
      await trx
        .deleteFrom('rbac_policies')
        .where('object_type', '=', 'network')
        .where('object_id', '=', id)
        .execute();
      await trx.deleteFrom('network_segments').where('network_id', '=', id).execute();
      await this.store.delete(trx, id);
    });
    await this.driver.networkDeleted?.(id);
  }

  async setTags(_ctx: CallContext, current: Resource, tags: string[]): Promise<void> {
    await setTags(this.db, this.store, current.id as string, tags);
  }
}
