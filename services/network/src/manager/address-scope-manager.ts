import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { inTransaction, type Resource, ResourceStore, type Scope } from '../db/resource-store';
import { NeutronError } from './network-errors';
import { setTags } from './tags';

/** Who sees an address scope or subnet pool: its project, everyone when shared, admins all. */
export function sharedScope(ctx: CallContext): Scope | undefined {
  if (ctx.isAdmin) return undefined;
  return (qb) =>
    qb.where((eb) => eb.or([eb('project_id', '=', ctx.projectId ?? ''), eb('shared', '=', true)]));
}

/** Address scopes: a shared or private space of addresses subnet pools belong to. */
export class AddressScopeManager implements ResourceHandlers {
  readonly store: ResourceStore;

  constructor(private readonly db: Database<any>) {
    this.store = new ResourceStore(db, 'address_scopes', { shared: 'bool', ip_version: 'int' });
  }

  list(ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    return this.store.list(query, sharedScope(ctx));
  }

  get(ctx: CallContext, id: string): Promise<Resource | undefined> {
    return this.store.get(this.db.kysely, id, sharedScope(ctx));
  }

  create(_ctx: CallContext, item: Resource): Promise<Resource> {
    return inTransaction(this.db, (trx) => this.store.insert(trx, { ...item, id: randomUUID() }));
  }

  async update(_ctx: CallContext, current: Resource, changes: Resource): Promise<Resource> {
    if (current.shared && changes.shared === false)
      throw new NeutronError(
        'bad_request',
        'AddressScopeUpdateError',
        `Unable to update address scope ${current.id} : Shared address scope can't be unshared.`,
      );
    return inTransaction(this.db, async (trx) => {
      await this.store.update(trx, current.id as string, changes);
      return (await this.store.get(trx, current.id as string))!;
    });
  }

  async delete(_ctx: CallContext, current: Resource): Promise<void> {
    const id = current.id as string;
    await inTransaction(this.db, async (trx) => {
      const used = await trx
        .selectFrom('subnetpools')
        .select('id')
        .where('address_scope_id', '=', id)
        .executeTakeFirst();
      if (used)
        throw new NeutronError(
          'conflict',
          'AddressScopeInUse',
          `Unable to complete operation on address scope ${id}. There are one or more subnet pools in use on the address scope.`,
        );
      await this.store.delete(trx, id);
    });
  }

  async setTags(_ctx: CallContext, current: Resource, tags: string[]): Promise<void> {
    await setTags(this.db, this.store, current.id as string, tags);
  }
}
