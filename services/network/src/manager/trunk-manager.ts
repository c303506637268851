import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { Kysely } from 'kysely';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { inTransaction, type Resource, ResourceStore, type Scope } from '../db/resource-store';
import { NeutronError, notFoundErrors } from './network-errors';
import { setTags } from './tags';

/** A subport as the API shows it. */
export interface SubPort {
  port_id: string;
  segmentation_type: string;
  segmentation_id: number;
}

const bad = (message: string) =>
  new NeutronError('bad_request', 'InvalidInput', `Invalid input for operation: ${message}.`);
const conflict = (type: string, message: string) => new NeutronError('conflict', type, message);

/** Who sees a trunk: its project; admins all. */
const trunkScope = (ctx: CallContext): Scope | undefined =>
  ctx.isAdmin ? undefined : (qb) => qb.where('project_id', '=', ctx.projectId ?? '');

/**
 * Trunks: a parent port no other trunk uses, subports each in one trunk with segmentation
 * details unique in it (`inherit` takes the subport network's VLAN), a subport network's MTU
 * never above the parent's; a disabled trunk keeps its subports and refuses deletion.
 */
export class TrunkManager implements ResourceHandlers {
  readonly store: ResourceStore;

  constructor(private readonly db: Database<any>) {
    this.store = new ResourceStore(db, 'trunks', {
      admin_state_up: 'bool',
      status: 'string',
      port_id: 'string',
    });
  }

  async list(ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    return this.withSubports(this.db.kysely, await this.store.list(query, trunkScope(ctx)));
  }

  async get(ctx: CallContext, id: string): Promise<Resource | undefined> {
    const item = await this.store.get(this.db.kysely, id, trunkScope(ctx));
    return item && (await this.withSubports(this.db.kysely, [item]))[0];
  }

  private async withSubports(trx: Kysely<any>, items: Resource[]): Promise<Resource[]> {
    if (!items.length) return items;
    const rows = await trx
      .selectFrom('subports')
      .selectAll()
      .where(
        'trunk_id',
        'in',
        items.map((i) => i.id as string),
      )
      .orderBy('position')
      .execute();
    for (const item of items)
      item.sub_ports = rows
        .filter((r) => r.trunk_id === item.id)
        .map((r) => ({
          port_id: r.port_id,
          segmentation_type: r.segmentation_type,
          segmentation_id: Number(r.segmentation_id),
        }));
    return items;
  }

  async create(_ctx: CallContext, item: Resource): Promise<Resource> {
    const { sub_ports: given, ...rest } = item;
    const id = randomUUID();
    return inTransaction(this.db, async (trx) => {
      const parent = await this.port(trx, item.port_id as string);
      await this.checkPortFree(trx, parent.id as string, 'parent');
      const created = await this.store.insert(trx, { ...rest, id, status: 'DOWN' });
      await this.addTo(trx, id, parent, (given as unknown[]) ?? []);
      return (await this.withSubports(trx, [created]))[0]!;
    });
  }

  async update(_ctx: CallContext, current: Resource, changes: Resource): Promise<Resource> {
    const id = current.id as string;
    return inTransaction(this.db, async (trx) => {
      await this.store.update(trx, id, changes);
      return (await this.withSubports(trx, [(await this.store.get(trx, id))!]))[0]!;
    });
  }

  async delete(_ctx: CallContext, current: Resource): Promise<void> {
    const id = current.id as string;
    if (!current.admin_state_up) throw disabled(id);
    await inTransaction(this.db, async (trx) => {
      await trx.deleteFrom('subports').where('trunk_id', '=', id).execute();
      await this.store.delete(trx, id);
    });
  }

  /** `add_subports`: the trunk with the subports added after those it had. */
  async addSubports(current: Resource, subports: unknown): Promise<Resource> {
    const id = current.id as string;
    if (!Array.isArray(subports)) throw bad(`'${JSON.stringify(subports)}' is not a list`);
    if (!current.admin_state_up) throw disabled(id);
    return inTransaction(this.db, async (trx) => {
      const parent = await this.port(trx, current.port_id as string);
      await this.addTo(trx, id, parent, subports);
      await this.store.touch(trx, id);
      return (await this.withSubports(trx, [(await this.store.get(trx, id))!]))[0]!;
    });
  }

  /** `remove_subports`: subports named by port id; one not in the trunk is SubPortNotFound. */
  async removeSubports(current: Resource, subports: unknown): Promise<Resource> {
    const id = current.id as string;
    if (!Array.isArray(subports)) throw bad(`'${JSON.stringify(subports)}' is not a list`);
    if (!current.admin_state_up) throw disabled(id);
    return inTransaction(this.db, async (trx) => {
      for (const s of subports) {
        const portId = (s as { port_id?: unknown } | null)?.port_id;
        if (typeof portId !== 'string') throw bad('A subport is missing its port_id');
        const res = await trx
          .deleteFrom('subports')
          .where('trunk_id', '=', id)
          .where('port_id', '=', portId)
          .executeTakeFirst();
        if (!Number(res.numDeletedRows))
          throw new NeutronError(
            'not_found',
            'SubPortNotFound',
            `SubPort on trunk ${id} with parent port ${portId} could not be found.`,
          );
      }
      await this.store.touch(trx, id);
      return (await this.withSubports(trx, [(await this.store.get(trx, id))!]))[0]!;
    });
  }

  /** Why a port may not be deleted: it is a trunk's parent or a subport (undefined: it may). */
  async portUse(portId: string): Promise<NeutronError | undefined> {
    const k = this.db.kysely;
    const trunk = await k.selectFrom('trunks').select('id').where('port_id', '=', portId).executeTakeFirst();
    if (trunk)
      return conflict(
        'PortInUseAsTrunkParent',
        `Port ${portId} is currently a parent port for trunk ${trunk.id}.`,
      );
    const sub = await k
      .selectFrom('subports')
      .select('trunk_id')
      .where('port_id', '=', portId)
      .executeTakeFirst();
    if (sub)
      return conflict(
        'PortInUseAsSubPort',
        `Port ${portId} is currently a subport for trunk ${sub.trunk_id}.`,
      );
    return undefined;
  }

  private async port(trx: Kysely<any>, portId: string): Promise<Record<string, unknown>> {
    const port = await trx
      .selectFrom('ports')
      .select(['id', 'network_id'])
      .where('id', '=', portId)
      .executeTakeFirst();
    if (!port) throw notFoundErrors.port(portId);
    return port;
  }

  private async checkPortFree(trx: Kysely<any>, portId: string, role: 'parent' | 'subport'): Promise<void> {
    const asParent = await trx
      .selectFrom('trunks')
      .select('id')
      .where('port_id', '=', portId)
      .executeTakeFirst();
    const asSub = await trx
      .selectFrom('subports')
      .select('trunk_id')
      .where('port_id', '=', portId)
      .executeTakeFirst();
    if (asParent || asSub)
      throw conflict(
        'TrunkPortInUse',
        `Port ${portId} is in use by another trunk${role === 'subport' ? ' as a parent or subport' : ''}.`,
      );
  }

  private async networkOf(trx: Kysely<any>, networkId: string) {
    const net = await trx
      .selectFrom('networks')
      .select(['id', 'mtu', 'provider_network_type', 'provider_segmentation_id'])
      .where('id', '=', networkId)
      .executeTakeFirst();
    let segment = net?.provider_network_type
      ? { network_type: net.provider_network_type, segmentation_id: net.provider_segmentation_id }
      : undefined;
    segment ??= await trx
      .selectFrom('network_segments')
      .select(['network_type', 'segmentation_id'])
      .where('network_id', '=', networkId)
      .orderBy('segment_index')
      .executeTakeFirst();
    return { mtu: Number(net?.mtu ?? 0), segment };
  }

  private async addTo(trx: Kysely<any>, trunkId: string, parent: Record<string, unknown>, given: unknown[]) {
    const parentNet = await this.networkOf(trx, parent.network_id as string);
    const existing = await trx.selectFrom('subports').selectAll().where('trunk_id', '=', trunkId).execute();
    let position = existing.reduce((m, r) => Math.max(m, Number(r.position)), -1) + 1;
    const seen = new Set(existing.map((r) => `${r.segmentation_type}:${r.segmentation_id}`));
    const inRequest = new Set<string>();
    const parsed: SubPort[] = [];
    for (const raw of given) {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw))
        throw bad(`'${JSON.stringify(raw)}' is not a dictionary`);
      const s = raw as Record<string, unknown>;
      if (typeof s.port_id !== 'string') throw bad(`A subport is missing its port_id: ${JSON.stringify(s)}`);
      if (typeof s.segmentation_type !== 'string' || !['vlan', 'inherit'].includes(s.segmentation_type))
        throw bad(
          `Invalid segmentation type ${JSON.stringify(s.segmentation_type)} for subport ${s.port_id}`,
        );
      parsed.push(s as unknown as SubPort);
    }
    const keys = parsed.filter((s) => s.segmentation_type === 'vlan').map((s) => `vlan:${s.segmentation_id}`);
    if (new Set(keys).size !== keys.length) throw bad('Duplicate segmentation details for subports');
    for (const s of parsed) {
      if (s.port_id === parent.id)
        throw conflict(
          'ParentPortInUse',
          `Port ${s.port_id} is currently in use and is not eligible for use as a parent port.`,
        );
      const port = await this.port(trx, s.port_id);
      const net = await this.networkOf(trx, port.network_id as string);
      let type = s.segmentation_type;
      let segId: unknown = s.segmentation_id;
      if (type === 'inherit') {
        if (net.segment?.network_type !== 'vlan')
          throw bad(`Segmentation type inherit needs subport ${s.port_id}'s network to be a VLAN`);
        type = 'vlan';
        segId = Number(net.segment.segmentation_id);
      }
      if (typeof segId !== 'number' || !Number.isInteger(segId) || segId < 1 || segId > 4094)
        throw bad(`Invalid segmentation id ${JSON.stringify(segId)} for subport ${s.port_id}`);
      await this.checkPortFree(trx, s.port_id, 'subport');
      if (seen.has(`${type}:${segId}`) || inRequest.has(`${type}:${segId}`))
        throw conflict(
          'DuplicateSubPort',
          `segmentation_type ${type} and segmentation_id ${segId} already in use on trunk ${trunkId}.`,
        );
      if (parentNet.mtu && net.mtu > parentNet.mtu)
        throw conflict(
          'SubPortMtuGreaterThanTrunkPortMtu',
          `MTU ${net.mtu} of subport ${s.port_id} cannot be greater than MTU ${parentNet.mtu} of trunk ${trunkId}.`,
        );
      inRequest.add(`${type}:${segId}`);
      await trx
        .insertInto('subports')
        .values({
          port_id: s.port_id,
          trunk_id: trunkId,
          segmentation_type: type,
          segmentation_id: segId,
          position,
        })
        .execute();
      position += 1;
    }
  }

  async setTags(_ctx: CallContext, current: Resource, tags: string[]): Promise<void> {
    await setTags(this.db, this.store, current.id as string, tags);
  }
}

const disabled = (id: string) => conflict('TrunkDisabled', `Trunk ${id} is currently disabled.`);
