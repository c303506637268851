import { randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { Kysely } from 'kysely';
import { type CallContext, elevated } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import { portDefinition } from '../api/ports/port-definition';
import { fillDefaults } from '../api/resource-body';
import type { ResourceHandlers } from '../api/resource-definition';
import { NOT_SPECIFIED } from '../api/subnets/subnet-definition';
import { inTransaction, type Resource, ResourceStore, type Scope } from '../db/resource-store';
import { retryable } from '../db/retryable';
import type { NetworkDriver } from '../drivers/driver-api';
import { canonicalAddress } from './ip-math';
import { type FixedIpRequest, Ipam } from './ipam';
import { macAddressInUse, NeutronError, notFoundErrors } from './network-errors';
import type { NetworkManager } from './network-manager';
import { type PortEventSink, portEvents } from './port-events';
import type { SecurityGroupManager } from './security-group-manager';
import { subnetColumns } from './subnet-manager';
import { setTags } from './tags';

/** Stored port attributes. */
export const portColumns = {
  network_id: 'string',
  admin_state_up: 'bool',
  status: 'string',
  mac_address: 'string',
  device_id: 'string',
  device_owner: 'string',
  port_security_enabled: 'bool',
  'binding:host_id': 'string',
  'binding:vnic_type': 'string',
  'binding:vif_type': 'string',
  'binding:profile': 'json',
  'binding:vif_details': 'json',
  allowed_address_pairs: 'json',
  extra_dhcp_opts: 'json',
  dns_name: 'string',
  propagate_uplink_status: 'bool',
} as const;

/** Owners of ports the L3 service makes and deletes itself. */
const SERVICE_OWNERS = [
  'network:router_interface',
  'network:router_gateway',
  'network:floatingip',
  'network:router_interface_distributed',
  'network:ha_router_replicated_interface',
];

/** The context of the service's own requests. */
const INTERNAL = {
  projectId: undefined,
  isAdmin: true,
  isAdvsvc: true,
  allowed: () => true,
} as unknown as CallContext;

/** Options of the port manager. */
export interface PortOptions {
  /** Where server ports' status changes go (compute's external events); none: not announced. */
  events?: PortEventSink;
  baseMac: string;
  ipamRetries: number;
  maxFixedIps: number;
}

/** Who sees a port: its project, the owner of its network, admins all. */
export function portScope(ctx: CallContext): Scope | undefined {
  if (ctx.isAdmin || ctx.isAdvsvc) return undefined;
  const project = ctx.projectId ?? '';
  return (qb) =>
    qb.where((eb) =>
      eb.or([
        eb('project_id', '=', project),
        eb('network_id', 'in', eb.selectFrom('networks').select('id').where('project_id', '=', project)),
      ]),
    );
}

/**
 * Ports: MACs from `base_mac`, addresses from the IPAM in the port's transaction (retried when
 * a concurrent request took the same address first), the project's default security group,
 * and binding through the mechanism driver when a host is set.
 */
export class PortManager implements ResourceHandlers {
  readonly store: ResourceStore;
  private readonly subnets: ResourceStore;
  private readonly ipam = new Ipam();

  constructor(
    private readonly db: Database<any>,
    private readonly networks: NetworkManager,
    private readonly securityGroups: SecurityGroupManager,
    private readonly driver: NetworkDriver,
    private readonly options: PortOptions,
  ) {
    this.store = new ResourceStore(db, 'ports', portColumns);
    this.subnets = new ResourceStore(db, 'subnets', subnetColumns);
  }

  async list(ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    const { fixed_ips: fixedIps, security_groups: groups, ...filters } = query.filters;
    const base = portScope(ctx);
    const scope: Scope = (qb) => {
      let q = base ? base(qb) : qb;
      for (const f of (fixedIps ?? []) as string[]) {
        const [key, value] = String(f).split('=', 2);
        if (key === 'ip_address' || key === 'subnet_id') {
          q = q.where('id', 'in', (eb: any) =>
            eb
              .selectFrom('ip_allocations')
              .select('port_id')
              .where(key, '=', key === 'ip_address' ? canonicalAddress(value!) : value),
          );
        } else if (key === 'ip_address_substr') {
          q = q.where('id', 'in', (eb: any) =>
            eb.selectFrom('ip_allocations').select('port_id').where('ip_address', 'like', `%${value}%`),
          );
        }
      }
      if (groups?.length)
        q = q.where('id', 'in', (eb: any) =>
          eb.selectFrom('port_security_groups').select('port_id').where('security_group_id', 'in', groups),
        );
      return q;
    };
    const items = await this.store.list({ ...query, filters }, scope);
    return this.decorate(this.db.kysely, items);
  }

  async get(ctx: CallContext, id: string): Promise<Resource | undefined> {
    const item = await this.store.get(this.db.kysely, id, portScope(ctx));
    return item && (await this.decorate(this.db.kysely, [item]))[0];
  }

  policyTarget(ctx: CallContext, item: Resource): Promise<Record<string, unknown>> {
    return this.networks.policyTargetOf(ctx, item.network_id as string);
  }

  /** Adds fixed IPs, security groups and the computed attributes. */
  async decorate(trx: Kysely<any>, items: Resource[]): Promise<Resource[]> {
    if (!items.length) return items;
    const ids = items.map((i) => i.id as string);
    const ips = await trx
      .selectFrom('ip_allocations')
      .select(['port_id', 'subnet_id', 'ip_address'])
      .where('port_id', 'in', ids)
      .execute();
    const groups = await trx
      .selectFrom('port_security_groups')
      .select(['port_id', 'security_group_id'])
      .where('port_id', 'in', ids)
      .execute();
    for (const item of items) {
      item.fixed_ips = ips
        .filter((r) => r.port_id === item.id)
        .map((r) => ({ subnet_id: r.subnet_id, ip_address: r.ip_address }));
      item.security_groups = groups.filter((g) => g.port_id === item.id).map((g) => g.security_group_id);
      item.dns_assignment = (item.fixed_ips as { ip_address: string }[]).map((ip) => ({
        ip_address: ip.ip_address,
        hostname: `host-${ip.ip_address.replaceAll(/[.:]/g, '-')}`,
        fqdn: `host-${ip.ip_address.replaceAll(/[.:]/g, '-')}.openstacklocal.`,
      }));
      item.ip_allocation = 'immediate';
      item.resource_request = null;
    }
    return items;
  }

  /** A random MAC keeping `base_mac`'s non-zero bytes (`fa:16:3e:xx:xx:xx`). */
  private newMac(): string {
    const base = this.options.baseMac.split(':');
    const rnd = randomBytes(6);
    return base
      .map((b, i) => (b === '00' ? rnd[i]!.toString(16).padStart(2, '0') : b.toLowerCase()))
      .join(':');
  }

  async create(ctx: CallContext, item: Resource): Promise<Resource> {
    const network = await this.networks.getStored(ctx, item.network_id as string);
    if (!network) throw notFoundErrors.network(item.network_id as string);
    if (!ctx.isAdmin && !ctx.isAdvsvc && !network.shared && network.project_id !== item.project_id) {
      throw new NeutronError('not_found', 'HTTPNotFound', 'The resource could not be found.');
    }
    const requests = item.fixed_ips === NOT_SPECIFIED ? undefined : (item.fixed_ips as FixedIpRequest[]);
    if (requests && requests.length > this.options.maxFixedIps) {
      throw new NeutronError(
        'bad_request',
        'InvalidInput',
        `Invalid input for operation: Exceeded maximum amount of fixed ips per port (${this.options.maxFixedIps}).`,
      );
    }
    const portSecurity =
      item.port_security_enabled === NOT_SPECIFIED
        ? (network.port_security_enabled as boolean)
        : (item.port_security_enabled as boolean);
    const owner = item.device_owner as string;
    const explicitGroups = item.security_groups !== NOT_SPECIFIED;
    if (!portSecurity && explicitGroups && (item.security_groups as string[]).length) {
      throw new NeutronError(
        'bad_request',
        'PortSecurityAndIPRequiredForSecurityGroups',
        'Port security must be enabled and port must have an IP address in order to use security groups.',
      );
    }
    const explicitMac = item.mac_address !== NOT_SPECIFIED;
    for (let attempt = 1; ; attempt++) {
      try {
        const created = await inTransaction(this.db, async (trx) => {
          const mac = explicitMac ? (item.mac_address as string).toLowerCase() : this.newMac();
          if (explicitMac) {
            const used = await trx
              .selectFrom('ports')
              .select('id')
              .where('network_id', '=', item.network_id as string)
              .where('mac_address', '=', mac)
              .executeTakeFirst();
            if (used) throw macAddressInUse(item.network_id as string, mac);
          }
          let groups: string[] = [];
          if (explicitGroups)
            groups = await this.securityGroups.checkUsable(trx, ctx, item.security_groups as string[]);
          else if (portSecurity && !owner.startsWith('network:'))
            groups = [await this.securityGroups.ensureDefault(trx, item.project_id as string)];
          const id = randomUUID();
          const row = await this.store.insert(trx, {
            ...item,
            id,
            mac_address: mac,
            status: 'DOWN',
            port_security_enabled: portSecurity,
            'binding:vif_type': 'unbound',
            'binding:vif_details': {},
          });
          const subnets = await this.subnetsOf(trx, item.network_id as string);
          await this.ipam.allocate(
            trx,
            { id, network_id: item.network_id as string, mac_address: mac, device_owner: owner },
            subnets,
            requests,
          );
          if (groups.length)
            await trx
              .insertInto('port_security_groups')
              .values(groups.map((g) => ({ port_id: id, security_group_id: g })))
              .execute();
          return row;
        });
        return this.bind(created, network);
      } catch (err) {
        if (!retryable(err) || attempt >= this.options.ipamRetries) throw err;
      }
    }
  }

  /** The network's subnets, oldest first (the order IPAM tries them in). */
  private async subnetsOf(trx: Kysely<any>, networkId: string): Promise<Resource[]> {
    const rows = await trx
      .selectFrom('subnets')
      .selectAll()
      .where('network_id', '=', networkId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => this.subnets.fromRow(r));
  }

  /** Binds a port with a host through the driver, then answers it as stored. */
  private async bind(port: Resource, _network: Resource): Promise<Resource> {
    const host = port['binding:host_id'] as string;
    if (host) {
      // The fake and linuxbridge drivers bind on the network's first segment.
      const [segment] = await this.networks.segmentsOf(this.db.kysely, port.network_id as string);
      const binding = await this.driver.bindPort({
        portId: port.id as string,
        networkId: port.network_id as string,
        hostId: host,
        vnicType: port['binding:vnic_type'] as string,
        profile: (port['binding:profile'] as Record<string, unknown>) ?? {},
        segment: {
          networkType: (segment?.network_type as string) ?? 'local',
          segmentationId: (segment?.segmentation_id as number | null) ?? null,
        },
      });
      await inTransaction(this.db, async (trx) => {
        await trx
          .updateTable('ports')
          .set({
            binding_vif_type: binding ? binding.vifType : 'binding_failed',
            binding_vif_details: JSON.stringify(binding ? binding.vifDetails : {}),
            status: binding && port.admin_state_up ? 'ACTIVE' : 'DOWN',
          })
          .where('id', '=', port.id as string)
          .execute();
      });
    }
    const row = (await this.store.get(this.db.kysely, port.id as string))!;
    await this.announce(port, row);
    return (await this.decorate(this.db.kysely, [row]))[0]!;
  }

  /** Tells compute of a server port's status change, after commit; a failure is only logged by the sink. */
  private async announce(before: Resource | undefined, after: Resource | undefined): Promise<void> {
    const events = portEvents(before as never, after as never);
    if (events.length && this.options.events) await this.options.events.send(events);
  }

  async update(ctx: CallContext, current: Resource, changes: Resource): Promise<Resource> {
    const id = current.id as string;
    const network = (await this.networks.store.get(this.db.kysely, current.network_id as string))!;
    const { fixed_ips: fixedIps, security_groups: groups, ...plain } = changes;
    if (plain.mac_address !== undefined) plain.mac_address = (plain.mac_address as string).toLowerCase();
    await inTransaction(this.db, async (trx) => {
      if (plain.mac_address && plain.mac_address !== current.mac_address) {
        const used = await trx
          .selectFrom('ports')
          .select('id')
          .where('network_id', '=', current.network_id as string)
          .where('mac_address', '=', plain.mac_address as string)
          .executeTakeFirst();
        if (used) throw macAddressInUse(current.network_id as string, plain.mac_address as string);
      }
      if (plain['binding:host_id'] === '')
        Object.assign(plain, { 'binding:vif_type': 'unbound', 'binding:vif_details': {}, status: 'DOWN' });
      await this.store.update(trx, id, plain);
      if (fixedIps !== undefined) {
        await trx.deleteFrom('ip_allocations').where('port_id', '=', id).execute();
        const subnets = await this.subnetsOf(trx, current.network_id as string);
        await this.ipam.allocate(
          trx,
          {
            id,
            network_id: current.network_id as string,
            mac_address: (plain.mac_address ?? current.mac_address) as string,
            device_owner: (plain.device_owner ?? current.device_owner) as string,
          },
          subnets,
          fixedIps as FixedIpRequest[],
        );
      }
      if (groups !== undefined) {
        const usable = await this.securityGroups.checkUsable(trx, ctx, groups as string[]);
        await trx.deleteFrom('port_security_groups').where('port_id', '=', id).execute();
        if (usable.length)
          await trx
            .insertInto('port_security_groups')
            .values(usable.map((g) => ({ port_id: id, security_group_id: g })))
            .execute();
      }
    });
    if (plain['binding:host_id'] === '' && current['binding:host_id'])
      await this.driver.portUnbound?.(id, current['binding:host_id'] as string);
    const row = (await this.store.get(this.db.kysely, id))!;
    if (plain['binding:host_id'] && plain['binding:host_id'] !== current['binding:host_id'])
      return this.bind(row, network);
    return (await this.decorate(this.db.kysely, [row]))[0]!;
  }

  /**
   * Makes a port the service needs (router interface or gateway, floating IP): attributes not
   * given take their API defaults; no policy, no default security group for `network:*` owners.
   */
  async createInternal(item: Resource): Promise<Resource> {
    const full = fillDefaults({ project_id: '', tenant_id: '', ...item }, portDefinition.attributes);
    return this.create(elevated(INTERNAL), full);
  }

  async delete(_ctx: CallContext, current: Resource): Promise<void> {
    const owner = String(current.device_owner);
    if (
      SERVICE_OWNERS.includes(owner) &&
      (await this.serviceStillExists(owner, current.device_id as string))
    ) {
      throw new NeutronError(
        'conflict',
        'ServicePortInUse',
        `Port ${current.id} cannot be deleted directly via the port API: has device owner ${owner}.`,
      );
    }
    await this.deleteInternal(current);
  }

  private async serviceStillExists(owner: string, deviceId: string): Promise<boolean> {
    const table = owner === 'network:floatingip' ? 'floatingips' : 'routers';
    return Boolean(
      await this.db.kysely.selectFrom(table).select('id').where('id', '=', deviceId).executeTakeFirst(),
    );
  }

  /** Deletes a port, floating IPs pointing at it disassociated first (as Neutron does). */
  async deleteInternal(current: Resource): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await trx
        .updateTable('floatingips')
        .set({ fixed_port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN' })
        .where('fixed_port_id', '=', current.id as string)
        .execute();
      await this.store.delete(trx, current.id as string);
    });
    if (current['binding:host_id'])
      await this.driver.portUnbound?.(current.id as string, current['binding:host_id'] as string);
    await this.announce(current, undefined);
  }

  async setTags(_ctx: CallContext, current: Resource, tags: string[]): Promise<void> {
    await setTags(this.db, this.store, current.id as string, tags);
  }
}
