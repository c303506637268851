import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { Kysely } from 'kysely';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { inTransaction, type Resource, ResourceStore, type Scope } from '../db/resource-store';
import { parseCidr } from './ip-math';
import { httpBadRequest, NeutronError } from './network-errors';
import { setTags } from './tags';

/** Who sees an address group: its project; admins all. */
const groupScope = (ctx: CallContext): Scope | undefined =>
  ctx.isAdmin ? undefined : (qb) => qb.where('project_id', '=', ctx.projectId ?? '');

/** An address in its network form (`192.168.0.10/24` → `192.168.0.0/24`; a bare address is /32 or /128). */
export function normalizeAddress(text: unknown): string {
  if (typeof text !== 'string') throw httpBadRequest(`'${JSON.stringify(text)}' is not a valid IP subnet`);
  const cidr = text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`;
  try {
    return parseCidr(cidr).network;
  } catch {
    throw new NeutronError(
      'bad_request',
      'InvalidInput',
      `Invalid input for operation: '${text}' is not a valid IP subnet.`,
    );
  }
}

/**
 * Address groups: their addresses in their network form, added and removed by the
 * `add_addresses` / `remove_addresses` actions, deletion refused while a security group rule
 * points at the group.
 */
export class AddressGroupManager implements ResourceHandlers {
  readonly store: ResourceStore;

  constructor(private readonly db: Database<any>) {
    this.store = new ResourceStore(db, 'address_groups', {});
  }

  async list(ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    return this.withAddresses(this.db.kysely, await this.store.list(query, groupScope(ctx)));
  }

  async get(ctx: CallContext, id: string): Promise<Resource | undefined> {
    const item = await this.store.get(this.db.kysely, id, groupScope(ctx));
    return item && (await this.withAddresses(this.db.kysely, [item]))[0];
  }

  private async withAddresses(trx: Kysely<any>, items: Resource[]): Promise<Resource[]> {
    if (!items.length) return items;
    const rows = await trx
      .selectFrom('address_associations')
      .select(['address_group_id', 'address'])
      .where(
        'address_group_id',
        'in',
        items.map((i) => i.id as string),
      )
      .execute();
    for (const item of items)
      item.addresses = rows.filter((r) => r.address_group_id === item.id).map((r) => r.address as string);
    return items;
  }

  async create(_ctx: CallContext, item: Resource): Promise<Resource> {
    const { addresses, ...rest } = item;
    const normalized = [...new Set(((addresses as unknown[]) ?? []).map(normalizeAddress))];
    const id = randomUUID();
    return inTransaction(this.db, async (trx) => {
      const created = await this.store.insert(trx, { ...rest, id });
      for (const address of normalized)
        await trx.insertInto('address_associations').values({ address_group_id: id, address }).execute();
      return { ...created, addresses: normalized };
    });
  }

  async update(_ctx: CallContext, current: Resource, changes: Resource): Promise<Resource> {
    const id = current.id as string;
    return inTransaction(this.db, async (trx) => {
      await this.store.update(trx, id, changes);
      return (await this.withAddresses(trx, [(await this.store.get(trx, id))!]))[0]!;
    });
  }

  /** Adds addresses; ones already in the group are refused (AddressesAlreadyExist). */
  async addAddresses(current: Resource, addresses: unknown[]): Promise<Resource> {
    const wanted = [...new Set(addresses.map(normalizeAddress))];
    const id = current.id as string;
    return inTransaction(this.db, async (trx) => {
      const have = new Set(await this.addressesOf(trx, id));
      const present = wanted.filter((a) => have.has(a));
      if (present.length)
        throw new NeutronError(
          'bad_request',
          'AddressesAlreadyExist',
          `Addresses [${present.map((a) => `'${a}'`).join(', ')}] already exist in the address group ${id}.`,
        );
      for (const address of wanted)
        await trx.insertInto('address_associations').values({ address_group_id: id, address }).execute();
      await this.store.touch(trx, id);
      return (await this.withAddresses(trx, [(await this.store.get(trx, id))!]))[0]!;
    });
  }

  /** Removes addresses; ones not in the group are refused (AddressesNotFound). */
  async removeAddresses(current: Resource, addresses: unknown[]): Promise<Resource> {
    const wanted = [...new Set(addresses.map(normalizeAddress))];
    const id = current.id as string;
    return inTransaction(this.db, async (trx) => {
      const have = new Set(await this.addressesOf(trx, id));
      const missing = wanted.filter((a) => !have.has(a));
      if (missing.length)
        throw new NeutronError(
          'not_found',
          'AddressesNotFound',
          `Addresses [${missing.map((a) => `'${a}'`).join(', ')}] not found in the address group ${id}.`,
        );
      await trx
        .deleteFrom('address_associations')
        .where('address_group_id', '=', id)
        .where('address', 'in', wanted)
        .execute();
      await this.store.touch(trx, id);
      return (await this.withAddresses(trx, [(await this.store.get(trx, id))!]))[0]!;
    });
  }

  private async addressesOf(trx: Kysely<any>, id: string): Promise<string[]> {
    const rows = await trx
      .selectFrom('address_associations')
      .select('address')
      .where('address_group_id', '=', id)
      .execute();
    return rows.map((r) => r.address as string);
  }

  async delete(_ctx: CallContext, current: Resource): Promise<void> {
    const id = current.id as string;
    await inTransaction(this.db, async (trx) => {
      const used = await trx
        .selectFrom('security_group_rules')
        .select('id')
        .where('remote_address_group_id', '=', id)
        .executeTakeFirst();
      if (used)
        throw new NeutronError(
          'conflict',
          'AddressGroupInUse',
          `Address group ${id} is in use on one or more security group rules.`,
        );
      await trx.deleteFrom('address_associations').where('address_group_id', '=', id).execute();
      await this.store.delete(trx, id);
    });
  }

  async setTags(_ctx: CallContext, current: Resource, tags: string[]): Promise<void> {
    await setTags(this.db, this.store, current.id as string, tags);
  }
}
