import type { Database } from '@nimbus/db';
import { fromJson } from '@nimbus/db';
import { inTransaction, type Resource } from '../db/resource-store';
import type { NetworkDriver } from '../drivers/driver-api';
import { NeutronError } from './network-errors';
import type { NetworkManager } from './network-manager';

/** One binding of a port to a host, as the bindings API shows it. */
export interface PortBindingView {
  host: string;
  vif_type: string;
  vif_details: Record<string, unknown>;
  vnic_type: string;
  profile: Record<string, unknown>;
  status: 'ACTIVE' | 'INACTIVE';
}

const notFound = (portId: string, host: string) =>
  new NeutronError(
    'not_found',
    'PortBindingNotFound',
    `Binding for port ${portId} for host ${host} could not be found.`,
  );

/**
 * The port bindings API (`binding-extended`), as Nova's live migration uses it: a port has at
 * most one ACTIVE binding (the port's own `binding:*` attributes) and INACTIVE ones on other
 * hosts; activating one makes the active one inactive. Each binding is bound by the mechanism
 * driver when it is made.
 */
export class PortBindingManager {
  constructor(
    private readonly db: Database<any>,
    private readonly networks: NetworkManager,
    private readonly driver: NetworkDriver,
  ) {}

  private async port(portId: string) {
    return this.db.kysely.selectFrom('ports').selectAll().where('id', '=', portId).executeTakeFirst();
  }

  private activeOf(port: Record<string, any>): PortBindingView | undefined {
    if (!port.binding_host_id) return undefined;
    return {
      host: port.binding_host_id,
      vif_type: port.binding_vif_type,
      vif_details: fromJson(port.binding_vif_details, {}),
      vnic_type: port.binding_vnic_type,
      profile: fromJson(port.binding_profile, {}),
      status: 'ACTIVE',
    };
  }

  /** Every binding of a port, the active one first. */
  async list(port: Resource): Promise<PortBindingView[]> {
    const row = (await this.port(port.id as string))!;
    const inactive = await this.db.kysely
      .selectFrom('port_bindings')
      .selectAll()
      .where('port_id', '=', port.id as string)
      .orderBy('host')
      .execute();
    const active = this.activeOf(row);
    return [
      ...(active ? [active] : []),
      ...inactive.map(
        (b): PortBindingView => ({
          host: b.host,
          vif_type: b.vif_type,
          vif_details: fromJson(b.vif_details, {}),
          vnic_type: b.vnic_type,
          profile: fromJson(b.profile, {}),
          status: 'INACTIVE',
        }),
      ),
    ];
  }

  async get(port: Resource, host: string): Promise<PortBindingView> {
    const found = (await this.list(port)).find((b) => b.host === host);
    if (!found) throw notFound(port.id as string, host);
    return found;
  }

  /** Binds the port on another host: ACTIVE when the port had no binding, else INACTIVE. */
  async create(
    port: Resource,
    request: { host: string; vnic_type: string; profile: Record<string, unknown> },
  ): Promise<PortBindingView> {
    const portId = port.id as string;
    if ((await this.list(port)).some((b) => b.host === request.host))
      throw new NeutronError(
        'conflict',
        'PortBindingAlreadyExists',
        `Binding for port ${portId} on host ${request.host} already exists.`,
      );
    const [segment] = await this.networks.segmentsOf(this.db.kysely, port.network_id as string);
    const bound = await this.driver.bindPort({
      portId,
      networkId: port.network_id as string,
      hostId: request.host,
      vnicType: request.vnic_type,
      profile: request.profile,
      segment: {
        networkType: (segment?.network_type as string) ?? 'local',
        segmentationId: (segment?.segmentation_id as number | null) ?? null,
      },
    });
    const vifType = bound ? bound.vifType : 'binding_failed';
    const vifDetails = bound ? bound.vifDetails : {};
    const row = (await this.port(portId))!;
    await inTransaction(this.db, async (trx) => {
      if (!row.binding_host_id)
        await trx
          .updateTable('ports')
          .set({
            binding_host_id: request.host,
            binding_vnic_type: request.vnic_type,
            binding_profile: JSON.stringify(request.profile),
            binding_vif_type: vifType,
            binding_vif_details: JSON.stringify(vifDetails),
            status: bound && row.admin_state_up ? 'ACTIVE' : 'DOWN',
          })
          .where('id', '=', portId)
          .execute();
      else
        await trx
          .insertInto('port_bindings')
          .values({
            port_id: portId,
            host: request.host,
            vnic_type: request.vnic_type,
            profile: JSON.stringify(request.profile),
            vif_type: vifType,
            vif_details: JSON.stringify(vifDetails),
          })
          .execute();
    });
    return this.get(port, request.host);
  }

  /** Makes a host's inactive binding the active one; the active one becomes inactive. */
  async activate(port: Resource, host: string): Promise<PortBindingView> {
    const portId = port.id as string;
    const target = await this.get(port, host);
    if (target.status === 'ACTIVE')
      throw new NeutronError(
        'conflict',
        'PortBindingAlreadyActive',
        `Binding for port ${portId} on host ${host} is already active.`,
      );
    const row = (await this.port(portId))!;
    await inTransaction(this.db, async (trx) => {
      const active = this.activeOf(row);
      await trx.deleteFrom('port_bindings').where('port_id', '=', portId).where('host', '=', host).execute();
      if (active)
        await trx
          .insertInto('port_bindings')
          .values({
            port_id: portId,
            host: active.host,
            vnic_type: active.vnic_type,
            profile: JSON.stringify(active.profile),
            vif_type: active.vif_type,
            vif_details: JSON.stringify(active.vif_details),
          })
          .execute();
      await trx
        .updateTable('ports')
        .set({
          binding_host_id: host,
          binding_vnic_type: target.vnic_type,
          binding_profile: JSON.stringify(target.profile),
          binding_vif_type: target.vif_type,
          binding_vif_details: JSON.stringify(target.vif_details),
        })
        .where('id', '=', portId)
        .execute();
    });
    return this.get(port, host);
  }

  /** Removes a binding; removing the active one leaves the port unbound. */
  async delete(port: Resource, host: string): Promise<void> {
    const portId = port.id as string;
    const target = await this.get(port, host);
    if (target.status === 'INACTIVE') {
      await this.db.kysely
        .deleteFrom('port_bindings')
        .where('port_id', '=', portId)
        .where('host', '=', host)
        .execute();
    } else {
      await this.db.kysely
        .updateTable('ports')
        .set({
          binding_host_id: '',
          binding_vif_type: 'unbound',
          binding_vif_details: '{}',
          binding_profile: '{}',
          status: 'DOWN',
        })
        .where('id', '=', portId)
        .execute();
    }
    await this.driver.portUnbound?.(portId, host);
  }
}
