import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { inTransaction, type Resource, ResourceStore, type Scope } from '../db/resource-store';
import { canonicalAddress, parseAddress } from './ip-math';
import { badRequest, NeutronError, notFoundErrors } from './network-errors';
import type { NetworkManager } from './network-manager';
import type { PortManager } from './port-manager';
import { setTags } from './tags';

/** Who sees a floating IP: its project; admins all. */
export function floatingIpScope(ctx: CallContext): Scope | undefined {
  if (ctx.isAdmin) return undefined;
  return (qb) => qb.where('project_id', '=', ctx.projectId ?? '');
}

/**
 * Floating IPs: an address on an external network held by a `network:floatingip` port,
 * associated with a port's fixed IP through a router that has a gateway on that network and an
 * interface on the port's subnet. `ACTIVE` while associated, else `DOWN`.
 */
export class FloatingIpManager implements ResourceHandlers {
  readonly store: ResourceStore;

  constructor(
    private readonly db: Database<any>,
    private readonly networks: NetworkManager,
    private readonly ports: PortManager,
  ) {
    this.store = new ResourceStore(db, 'floatingips', {
      floating_ip_address: 'string',
      floating_network_id: 'string',
      floating_port_id: 'string',
      fixed_port_id: 'string',
      fixed_ip_address: 'string',
      router_id: 'string',
      status: 'string',
    });
  }

  async list(ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    const { port_id: portIds, ...filters } = query.filters;
    const base = floatingIpScope(ctx);
    const scope: Scope = (qb) => {
      const q = base ? base(qb) : qb;
      return portIds?.length ? q.where('fixed_port_id', 'in', portIds as string[]) : q;
    };
    return this.decorate(await this.store.list({ ...query, filters }, scope));
  }

  async get(ctx: CallContext, id: string): Promise<Resource | undefined> {
    const item = await this.store.get(this.db.kysely, id, floatingIpScope(ctx));
    return item && (await this.decorate([item]))[0];
  }

  private async decorate(items: Resource[]): Promise<Resource[]> {
    const ids = items.map((i) => i.fixed_port_id).filter(Boolean) as string[];
    const ports = ids.length ? await this.ports.store.where(this.db.kysely, 'id', ids) : [];
    for (const item of items) {
      const p = ports.find((x) => x.id === item.fixed_port_id);
      item.port_id = item.fixed_port_id ?? null;
      item.port_details = p
        ? {
            name: p.name,
            network_id: p.network_id,
            mac_address: p.mac_address,
            admin_state_up: p.admin_state_up,
            status: p.status,
            device_id: p.device_id,
            device_owner: p.device_owner,
          }
        : null;
      delete item.fixed_port_id;
      delete item.floating_port_id;
    }
    return items;
  }

  async create(ctx: CallContext, item: Resource): Promise<Resource> {
    const netId = item.floating_network_id as string;
    // Only a network the caller sees (an external policy names its project, or everyone's).
    const net = await this.networks.getStored(ctx, netId);
    if (!net) throw notFoundErrors.network(netId);
    if (!net['router:external'])
      throw badRequest('floatingip', `Network ${netId} is not a valid external network`);
    const id = randomUUID();
    const request = item.floating_ip_address
      ? [
          {
            ...(item.subnet_id ? { subnet_id: item.subnet_id as string } : {}),
            ip_address: item.floating_ip_address as string,
          },
        ]
      : item.subnet_id
        ? [{ subnet_id: item.subnet_id as string }]
        : await this.v4Subnets(netId);
    const port = await this.ports.createInternal({
      network_id: netId,
      device_id: id,
      device_owner: 'network:floatingip',
      fixed_ips: request,
    });
    const address = (port.fixed_ips as { ip_address: string }[])[0]?.ip_address;
    if (!address) {
      await this.ports.deleteInternal(port);
      throw badRequest('floatingip', `Network ${netId} has no IPv4 subnet`);
    }
    try {
      const association = item.port_id
        ? await this.association(
            ctx,
            id,
            netId,
            item.port_id as string,
            item.fixed_ip_address as string | null,
          )
        : undefined;
      await inTransaction(this.db, (trx) =>
        this.store.insert(trx, {
          id,
          project_id: item.project_id,
          description: item.description,
          floating_ip_address: address,
          floating_network_id: netId,
          floating_port_id: port.id,
          fixed_port_id: association?.portId ?? null,
          fixed_ip_address: association?.fixedIp ?? null,
          router_id: association?.routerId ?? null,
          status: association ? 'ACTIVE' : 'DOWN',
        }),
      );
    } catch (err) {
      await this.ports.deleteInternal(port);
      throw err;
    }
    return (await this.decorate([(await this.store.get(this.db.kysely, id))!]))[0]!;
  }

  /** A floating IP takes one IPv4 address: ask each IPv4 subnet of the network in turn. */
  private async v4Subnets(netId: string): Promise<{ subnet_id: string }[]> {
    const rows = await this.db.kysely
      .selectFrom('subnets')
      .select('id')
      .where('network_id', '=', netId)
      .where('ip_version', '=', 4)
      .orderBy('created_at')
      .execute();
    return rows.slice(0, 1).map((r) => ({ subnet_id: r.id }));
  }

  /** Finds the fixed IP and the router that make an association possible. */
  private async association(
    ctx: CallContext,
    fipId: string,
    netId: string,
    portId: string,
    fixedIp: string | null,
  ) {
    const port = await this.ports.get(ctx, portId);
    if (!port) throw notFoundErrors.port(portId);
    const v4 = (port.fixed_ips as { subnet_id: string; ip_address: string }[]).filter(
      (f) => parseAddress(f.ip_address).version === 4,
    );
    const chosen = fixedIp ? v4.find((f) => f.ip_address === canonicalAddress(fixedIp)) : v4[0];
    if (!chosen) {
      throw badRequest(
        'floatingip',
        fixedIp
          ? `Port ${portId} does not have fixed ip ${fixedIp}`
          : `No IPv4 address found on port ${portId}.`,
      );
    }
    const taken = await this.db.kysely
      .selectFrom('floatingips')
      .selectAll()
      .where('fixed_port_id', '=', portId)
      .where('fixed_ip_address', '=', chosen.ip_address)
      .where('id', '!=', fipId)
      .executeTakeFirst();
    if (taken) {
      throw new NeutronError(
        'conflict',
        'FloatingIPPortAlreadyAssociated',
        `Cannot associate floating IP ${taken.floating_ip_address} (${taken.id}) with port ${portId} using fixed IP ${chosen.ip_address}, as that fixed IP already has a floating IP on external network ${netId}.`,
      );
    }
    const router = await this.db.kysely
      .selectFrom('routers')
      .innerJoin('router_ports', 'router_ports.router_id', 'routers.id')
      .innerJoin('ip_allocations', 'ip_allocations.port_id', 'router_ports.port_id')
      .select('routers.id')
      .where('routers.external_network_id', '=', netId)
      .where('router_ports.port_type', '=', 'network:router_interface')
      .where('ip_allocations.subnet_id', '=', chosen.subnet_id)
      .executeTakeFirst();
    if (!router) {
      throw new NeutronError(
        'not_found',
        'ExternalGatewayForFloatingIPNotFound',
        `External network ${netId} is not reachable from subnet ${chosen.subnet_id}.  Therefore, cannot associate Port ${portId} with a Floating IP.`,
      );
    }
    return { portId, fixedIp: chosen.ip_address, routerId: router.id as string };
  }

  async update(ctx: CallContext, current: Resource, changes: Resource): Promise<Resource> {
    const id = current.id as string;
    const set: Resource = {};
    if ('description' in changes) set.description = changes.description;
    if ('port_id' in changes || 'fixed_ip_address' in changes) {
      const portId = (changes.port_id === undefined ? current.port_id : changes.port_id) as string | null;
      if (portId) {
        const a = await this.association(
          ctx,
          id,
          current.floating_network_id as string,
          portId,
          (changes.fixed_ip_address as string | null) ?? null,
        );
        Object.assign(set, {
          fixed_port_id: a.portId,
          fixed_ip_address: a.fixedIp,
          router_id: a.routerId,
          status: 'ACTIVE',
        });
      } else {
        Object.assign(set, { fixed_port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN' });
      }
    }
    await inTransaction(this.db, (trx) => this.store.update(trx, id, set));
    return (await this.decorate([(await this.store.get(this.db.kysely, id))!]))[0]!;
  }

  async delete(_ctx: CallContext, current: Resource): Promise<void> {
    const row = await this.db.kysely
      .selectFrom('floatingips')
      .select('floating_port_id')
      .where('id', '=', current.id as string)
      .executeTakeFirstOrThrow();
    await inTransaction(this.db, (trx) => this.store.delete(trx, current.id as string));
    const port = await this.ports.store.get(this.db.kysely, row.floating_port_id);
    if (port) await this.ports.deleteInternal(port);
  }

  async setTags(_ctx: CallContext, current: Resource, tags: string[]): Promise<void> {
    await setTags(this.db, this.store, current.id as string, tags);
  }
}
