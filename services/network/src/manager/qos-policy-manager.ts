import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { Kysely } from 'kysely';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { inTransaction, type Resource, ResourceStore, type Scope } from '../db/resource-store';
import { NeutronError } from './network-errors';
import { qosRuleView } from './qos-rule-manager';
import { setTags } from './tags';

/** neutron's QosPolicyNotFound. */
export const qosPolicyNotFound = (id: string) =>
  new NeutronError('not_found', 'QosPolicyNotFound', `QoS policy ${id} could not be found.`);

/** Who sees a QoS policy: its project, everyone when shared; admins all. */
export function qosPolicyScope(ctx: CallContext): Scope | undefined {
  if (ctx.isAdmin) return undefined;
  return (qb) =>
    qb.where((eb) => eb.or([eb('project_id', '=', ctx.projectId ?? ''), eb('shared', '=', true)]));
}

/**
 * QoS policies: shown with their rules, one default policy per project (`qos-default`),
 * deletion refused while a network or port carries the policy, rules deleted with it.
 */
export class QosPolicyManager implements ResourceHandlers {
  readonly store: ResourceStore;

  constructor(private readonly db: Database<any>) {
    this.store = new ResourceStore(db, 'qos_policies', { shared: 'bool', is_default: 'bool' });
  }

  async list(ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    return this.withRules(this.db.kysely, await this.store.list(query, qosPolicyScope(ctx)));
  }

  async get(ctx: CallContext, id: string): Promise<Resource | undefined> {
    const item = await this.store.get(this.db.kysely, id, qosPolicyScope(ctx));
    return item && (await this.withRules(this.db.kysely, [item]))[0];
  }

  /** A policy the caller may attach to a network or port, or QosPolicyNotFound. */
  async usable(ctx: CallContext, id: string): Promise<Resource> {
    const found = await this.store.get(this.db.kysely, id, qosPolicyScope(ctx));
    if (!found) throw qosPolicyNotFound(id);
    return found;
  }

  /** The id of a project's default policy, if it has one. */
  async defaultOf(projectId: string): Promise<string | undefined> {
    const row = await this.db.kysely
      .selectFrom('qos_policies')
      .select('id')
      .where('project_id', '=', projectId)
      .where('is_default', '=', true)
      .executeTakeFirst();
    return row?.id as string | undefined;
  }

  private async withRules(trx: Kysely<any>, items: Resource[]): Promise<Resource[]> {
    if (!items.length) return items;
    const rows = await trx
      .selectFrom('qos_rules')
      .selectAll()
      .where(
        'qos_policy_id',
        'in',
        items.map((i) => i.id as string),
      )
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const item of items)
      item.rules = rows
        .filter((r) => r.qos_policy_id === item.id)
        .map((r) => ({ ...qosRuleView(r), qos_policy_id: r.qos_policy_id, type: r.type }));
    return items;
  }

  create(_ctx: CallContext, item: Resource): Promise<Resource> {
    return inTransaction(this.db, async (trx) => {
      if (item.is_default) await this.checkNoOtherDefault(trx, item.project_id as string);
      return { ...(await this.store.insert(trx, { ...item, id: randomUUID() })), rules: [] };
    });
  }

  private async checkNoOtherDefault(trx: Kysely<any>, projectId: string, except?: string): Promise<void> {
    let q = trx
      .selectFrom('qos_policies')
      .select('id')
      .where('project_id', '=', projectId)
      .where('is_default', '=', true);
    if (except) q = q.where('id', '!=', except);
    if (await q.executeTakeFirst())
      throw new NeutronError(
        'conflict',
        'QoSPolicyDefaultAlreadyExists',
        `A default QoS policy exists for project ${projectId}.`,
      );
  }

  update(_ctx: CallContext, current: Resource, changes: Resource): Promise<Resource> {
    const id = current.id as string;
    return inTransaction(this.db, async (trx) => {
      if (changes.is_default) await this.checkNoOtherDefault(trx, current.project_id as string, id);
      await this.store.update(trx, id, changes);
      return (await this.withRules(trx, [(await this.store.get(trx, id))!]))[0]!;
    });
  }

  async delete(_ctx: CallContext, current: Resource): Promise<void> {
    const id = current.id as string;
    await inTransaction(this.db, async (trx) => {
      for (const kind of ['network', 'port'] as const) {
        const used = await trx
          .selectFrom(`qos_${kind}_policy_bindings`)
          .select(`${kind}_id as object_id`)
          .where('policy_id', '=', id)
          .executeTakeFirst();
        if (used)
          throw new NeutronError(
            'conflict',
            'QosPolicyInUse',
            `QoS Policy ${id} is used by ${kind} ${used.object_id}.`,
          );
      }
      await trx.deleteFrom('qos_rules').where('qos_policy_id', '=', id).execute();
      await this.store.delete(trx, id);
    });
  }

  async setTags(_ctx: CallContext, current: Resource, tags: string[]): Promise<void> {
    await setTags(this.db, this.store, current.id as string, tags);
  }
}
