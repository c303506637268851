import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { Kysely } from 'kysely';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { inTransaction, type Resource, ResourceStore, type Scope } from '../db/resource-store';
import { checkExtraRoutes, checkRoutesKeepSubnet, type ExtraRoute } from './extra-routes';
import { cidrsOverlap, parseCidr } from './ip-math';
import type { FixedIpRequest } from './ipam';
import { badRequest, NeutronError, notFoundErrors } from './network-errors';
import type { NetworkManager } from './network-manager';
import type { PortManager } from './port-manager';
import { setTags } from './tags';

/** Neutron's `max_routes` default: extra routes a router may have. */
const MAX_ROUTES = 30;

/** A router's external gateway as the API writes it. */
export interface GatewayInfo {
  network_id: string;
  enable_snat?: boolean;
  external_fixed_ips?: FixedIpRequest[];
}

/** Who sees a router: its project; admins all. */
export function routerScope(ctx: CallContext): Scope | undefined {
  if (ctx.isAdmin) return undefined;
  return (qb) => qb.where('project_id', '=', ctx.projectId ?? '');
}

const inUse = (routerId: string, reason: string) =>
  new NeutronError('conflict', 'RouterInUse', `Router ${routerId} ${reason}`);

/**
 * Routers: the gateway port on an external network (SNAT on by default), interfaces added by
 * subnet (the subnet's gateway address) or by port, deletion refused while interfaces remain.
 */
export class RouterManager implements ResourceHandlers {
  readonly store: ResourceStore;

  constructor(
    private readonly db: Database<any>,
    private readonly networks: NetworkManager,
    private readonly ports: PortManager,
  ) {
    this.store = new ResourceStore(db, 'routers', {
      admin_state_up: 'bool',
      status: 'string',
      gw_port_id: 'string',
      external_network_id: 'string',
      enable_snat: 'bool',
      routes: 'json',
      availability_zone_hints: 'json',
    });
  }

  async list(ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    return this.decorate(await this.store.list(query, routerScope(ctx)));
  }

  async get(ctx: CallContext, id: string): Promise<Resource | undefined> {
    const item = await this.store.get(this.db.kysely, id, routerScope(ctx));
    return item && (await this.decorate([item]))[0];
  }

  /** Adds `external_gateway_info` from the gateway port, and AZs. */
  private async decorate(items: Resource[]): Promise<Resource[]> {
    const gwPorts = items.map((i) => i.gw_port_id).filter(Boolean) as string[];
    const ips = gwPorts.length
      ? await this.db.kysely
          .selectFrom('ip_allocations')
          .select(['port_id', 'subnet_id', 'ip_address'])
          .where('port_id', 'in', gwPorts)
          .execute()
      : [];
    for (const item of items) {
      item.external_gateway_info = item.gw_port_id
        ? {
            network_id: item.external_network_id,
            enable_snat: item.enable_snat,
            external_fixed_ips: ips
              .filter((r) => r.port_id === item.gw_port_id)
              .map((r) => ({ subnet_id: r.subnet_id, ip_address: r.ip_address })),
          }
        : null;
      item.availability_zones = [];
      delete item.gw_port_id;
      delete item.external_network_id;
      delete item.enable_snat;
      item.routes = item.routes ?? [];
    }
    return items;
  }

  async create(ctx: CallContext, item: Resource): Promise<Resource> {
    const { external_gateway_info: gw, ...rest } = item;
    const id = randomUUID();
    await inTransaction(this.db, (trx) =>
      this.store.insert(trx, {
        ...rest,
        id,
        status: 'ACTIVE',
        enable_snat: false,
        routes: [],
        gw_port_id: null,
        external_network_id: null,
      }),
    );
    try {
      if (gw) await this.setGateway(ctx, id, gw as GatewayInfo);
    } catch (err) {
      await inTransaction(this.db, (trx) => this.store.delete(trx, id));
      throw err;
    }
    return (await this.decorate([(await this.store.get(this.db.kysely, id))!]))[0]!;
  }

  /**
   * Replaces (or clears, with null) the router's gateway port. The network must be one the
   * caller sees (404 otherwise: an external policy for another project does not lend it).
   */
  private async setGateway(ctx: CallContext, routerId: string, gw: GatewayInfo | null): Promise<void> {
    const row = await this.db.kysely
      .selectFrom('routers')
      .selectAll()
      .where('id', '=', routerId)
      .executeTakeFirstOrThrow();
    if (gw) {
      const net = await this.networks.getStored(ctx, gw.network_id);
      if (!net) throw notFoundErrors.network(gw.network_id);
      if (!net['router:external'])
        throw badRequest('router', `Network ${gw.network_id} is not a valid external network`);
    }
    const sameNetwork =
      gw && row.gw_port_id && row.external_network_id === gw.network_id && !gw.external_fixed_ips;
    if (row.gw_port_id && !sameNetwork) {
      const fips = await this.db.kysely
        .selectFrom('floatingips')
        .select('id')
        .where('router_id', '=', routerId)
        .executeTakeFirst();
      if (fips) {
        throw new NeutronError(
          'conflict',
          'RouterExternalGatewayInUseByFloatingIp',
          `Gateway cannot be updated for router ${routerId}, since a gateway to external network ${row.external_network_id} is required by one or more floating IPs.`,
        );
      }
      const old = (await this.ports.store.get(this.db.kysely, row.gw_port_id))!;
      await inTransaction(this.db, (trx) =>
        trx
          .updateTable('routers')
          .set({ gw_port_id: null, external_network_id: null })
          .where('id', '=', routerId)
          .execute(),
      );
      await this.ports.deleteInternal(old);
    }
    if (!gw) return;
    let gwPortId = row.gw_port_id as string | null;
    if (!sameNetwork) {
      const port = await this.ports.createInternal({
        network_id: gw.network_id,
        device_id: routerId,
        device_owner: 'network:router_gateway',
        ...(gw.external_fixed_ips ? { fixed_ips: gw.external_fixed_ips } : {}),
      });
      gwPortId = port.id as string;
    }
    await inTransaction(this.db, async (trx) => {
      await trx
        .updateTable('routers')
        .set({
          gw_port_id: gwPortId,
          external_network_id: gw.network_id,
          enable_snat: gw.enable_snat ?? true,
        })
        .where('id', '=', routerId)
        .execute();
      if (
        !(await trx
          .selectFrom('router_ports')
          .select('port_id')
          .where('port_id', '=', gwPortId!)
          .executeTakeFirst())
      ) {
        await trx
          .insertInto('router_ports')
          .values({ router_id: routerId, port_id: gwPortId, port_type: 'network:router_gateway' })
          .execute();
      }
    });
  }

  async update(ctx: CallContext, current: Resource, changes: Resource): Promise<Resource> {
    const { external_gateway_info: gw, ...rest } = changes;
    const id = current.id as string;
    if ('external_gateway_info' in changes) await this.setGateway(ctx, id, gw as GatewayInfo | null);
    await inTransaction(this.db, async (trx) => {
      if ('routes' in rest)
        rest.routes = await checkExtraRoutes(trx, id, (rest.routes as ExtraRoute[] | null) ?? [], MAX_ROUTES);
      await this.store.update(trx, id, rest);
    });
    return (await this.decorate([(await this.store.get(this.db.kysely, id))!]))[0]!;
  }

  async delete(ctx: CallContext, current: Resource): Promise<void> {
    const id = current.id as string;
    const interfaces = await this.interfacePorts(this.db.kysely, id);
    if (interfaces.length) throw inUse(id, 'still has ports');
    if (current.external_gateway_info) await this.setGateway(ctx, id, null);
    await inTransaction(this.db, (trx) => this.store.delete(trx, id));
  }

  private interfacePorts(trx: Kysely<any>, routerId: string) {
    return trx
      .selectFrom('router_ports')
      .select('port_id')
      .where('router_id', '=', routerId)
      .where('port_type', '!=', 'network:router_gateway')
      .execute();
  }

  /** `PUT /v2.0/routers/{id}/add_router_interface` by subnet or by port. */
  async addInterface(
    ctx: CallContext,
    router: Resource,
    info: { subnet_id?: string; port_id?: string },
  ): Promise<Resource> {
    const routerId = router.id as string;
    let port: Resource;
    if (info.port_id) {
      const found = await this.ports.get(ctx, info.port_id);
      if (!found) throw notFoundErrors.port(info.port_id);
      if (found.device_id)
        throw new NeutronError(
          'conflict',
          'PortInUse',
          `Unable to complete operation on port ${found.id} for network ${found.network_id}. Port already has an attached device ${found.device_id}.`,
        );
      if (!(found.fixed_ips as unknown[]).length)
        throw badRequest('router', `Router port must have at least one fixed IP`);
      await this.checkOverlap(
        routerId,
        (found.fixed_ips as { subnet_id: string }[]).map((f) => f.subnet_id),
      );
      port = await this.ports.update(ctx, found, {
        device_id: routerId,
        device_owner: 'network:router_interface',
      });
    } else {
      const subnet = await this.db.kysely
        .selectFrom('subnets')
        .selectAll()
        .where('id', '=', info.subnet_id!)
        .executeTakeFirst();
      if (!subnet) throw notFoundErrors.subnet(info.subnet_id!);
      if (!subnet.gateway_ip)
        throw badRequest('router', `Subnet for router interface must have a gateway IP`);
      const attached = await this.db.kysely
        .selectFrom('router_ports')
        .innerJoin('ip_allocations', 'ip_allocations.port_id', 'router_ports.port_id')
        .select('router_ports.port_id')
        .where('router_ports.router_id', '=', routerId)
        .where('ip_allocations.subnet_id', '=', subnet.id)
        .executeTakeFirst();
      if (attached) throw badRequest('router', `Router already has a port on subnet ${subnet.id}`);
      await this.checkOverlap(routerId, [subnet.id]);
      port = await this.ports.createInternal({
        project_id: router.project_id,
        tenant_id: router.project_id,
        network_id: subnet.network_id,
        device_id: routerId,
        device_owner: 'network:router_interface',
        fixed_ips: [{ subnet_id: subnet.id, ip_address: subnet.gateway_ip }],
      });
    }
    await inTransaction(this.db, async (trx) => {
      await trx
        .insertInto('router_ports')
        .values({ router_id: routerId, port_id: port.id, port_type: 'network:router_interface' })
        .execute();
      await this.store.touch(trx, routerId);
    });
    return interfaceInfoOf(routerId, port);
  }

  /** A router cannot route two interfaces whose subnets overlap (400, as upstream). */
  private async checkOverlap(routerId: string, newSubnets: readonly string[]): Promise<void> {
    const rows = await this.db.kysely
      .selectFrom('router_ports')
      .innerJoin('ip_allocations', 'ip_allocations.port_id', 'router_ports.port_id')
      .innerJoin('subnets', 'subnets.id', 'ip_allocations.subnet_id')
      .select(['subnets.id', 'subnets.cidr'])
      .where('router_ports.router_id', '=', routerId)
      .where('router_ports.port_type', '=', 'network:router_interface')
      .execute();
    const fresh = await this.db.kysely
      .selectFrom('subnets')
      .select(['id', 'cidr'])
      .where('id', 'in', newSubnets.length ? [...newSubnets] : [''])
      .execute();
    for (const n of fresh) {
      for (const e of rows) {
        if (e.id !== n.id && cidrsOverlap(parseCidr(n.cidr), parseCidr(e.cidr))) {
          throw badRequest(
            'router',
            `Cidr ${n.cidr} of subnet ${n.id} overlaps with cidr ${e.cidr} of subnet ${e.id}`,
          );
        }
      }
    }
  }

  /** `PUT /v2.0/routers/{id}/remove_router_interface` by subnet or by port. */
  async removeInterface(
    _ctx: CallContext,
    router: Resource,
    info: { subnet_id?: string; port_id?: string },
  ): Promise<Resource> {
    const routerId = router.id as string;
    const ifaces = await this.interfacePorts(this.db.kysely, routerId);
    const ports = await this.ports.decorate(
      this.db.kysely,
      await this.ports.store.where(
        this.db.kysely,
        'id',
        ifaces.map((i) => i.port_id),
      ),
    );
    const port = info.port_id
      ? ports.find((p) => p.id === info.port_id)
      : ports.find((p) =>
          (p.fixed_ips as { subnet_id: string }[]).some((f) => f.subnet_id === info.subnet_id),
        );
    if (!port) {
      throw info.port_id
        ? new NeutronError(
            'not_found',
            'RouterInterfaceNotFound',
            `Router ${routerId} does not have an interface with id ${info.port_id}`,
          )
        : new NeutronError(
            'not_found',
            'RouterInterfaceNotFoundForSubnet',
            `Router ${routerId} has no interface on subnet ${info.subnet_id}`,
          );
    }
    const routes = ((await this.store.get(this.db.kysely, routerId))?.routes as ExtraRoute[] | null) ?? [];
    for (const f of port.fixed_ips as { subnet_id: string }[]) {
      const subnet = await this.db.kysely
        .selectFrom('subnets')
        .select(['id', 'cidr'])
        .where('id', '=', f.subnet_id)
        .executeTakeFirst();
      if (subnet) checkRoutesKeepSubnet(routerId, routes, subnet);
    }
    await this.ports.deleteInternal(port);
    await inTransaction(this.db, (trx) => this.store.touch(trx, routerId));
    return interfaceInfoOf(routerId, port);
  }

  async setTags(_ctx: CallContext, current: Resource, tags: string[]): Promise<void> {
    await setTags(this.db, this.store, current.id as string, tags);
  }
}

/** What add/remove_router_interface answer: the router, the interface port and its subnets. */
function interfaceInfoOf(routerId: string, port: Resource): Record<string, unknown> {
  const subnetIds = (port.fixed_ips as { subnet_id: string }[]).map((f) => f.subnet_id);
  return {
    id: routerId,
    tenant_id: port.project_id,
    project_id: port.project_id,
    port_id: port.id,
    network_id: port.network_id,
    subnet_id: subnetIds.at(-1),
    subnet_ids: subnetIds,
  };
}
