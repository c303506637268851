import type { Database } from '@nimbus/db';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { NOT_SPECIFIED } from '../api/subnets/subnet-definition';
import { inTransaction, type Resource } from '../db/resource-store';
import { NeutronError } from './network-errors';
import type { QosPolicyManager } from './qos-policy-manager';

/**
 * Network or port handlers with `qos_policy_id` kept in `qos_<kind>_policy_bindings`: a
 * network made without one gets its project's default policy; a policy must be one the
 * caller may see; a caller may only detach a policy it may see. Ports also show their
 * network's policy (`qos_network_policy_id`).
 */
export function withQosBindings<H extends ResourceHandlers>(
  handlers: H,
  db: Database<any>,
  kind: 'network' | 'port',
  policies: QosPolicyManager,
): H {
  const table = `qos_${kind}_policy_bindings`;
  const key = `${kind}_id`;
  const wrapped = Object.create(handlers) as H;
  const bindingsOf = async (t: string, k: string, ids: string[]) => {
    const map = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db.kysely
        .selectFrom(t)
        .select([`${k} as object_id`, 'policy_id'])
        .where(k, 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) map.set(r.object_id as string, r.policy_id as string);
    }
    return map;
  };
  const decorate = async (items: Resource[]) => {
    if (!items.length) return items;
    const own = await bindingsOf(
      table,
      key,
      items.map((i) => i.id as string),
    );
    const nets =
      kind === 'port'
        ? await bindingsOf('qos_network_policy_bindings', 'network_id', [
            ...new Set(items.map((i) => i.network_id as string)),
          ])
        : undefined;
    for (const item of items) {
      item.qos_policy_id = own.get(item.id as string) ?? null;
      if (nets) item.qos_network_policy_id = nets.get(item.network_id as string) ?? null;
    }
    return items;
  };
  const bind = (id: string, policyId: string | null) =>
    inTransaction(db, async (trx) => {
      await trx.deleteFrom(table).where(key, '=', id).execute();
      if (policyId)
        await trx
          .insertInto(table)
          .values({ [key]: id, policy_id: policyId })
          .execute();
    });

  wrapped.list = async (ctx: CallContext, query: ListQuery) => decorate(await handlers.list(ctx, query));
  wrapped.get = async (ctx: CallContext, id: string) => {
    const item = await handlers.get(ctx, id);
    return item && (await decorate([item]))[0];
  };
  wrapped.create = async (ctx: CallContext, item: Resource) => {
    const { qos_policy_id: given, ...rest } = item;
    let policyId: string | null = null;
    if (given !== undefined && given !== NOT_SPECIFIED && given !== null)
      policyId = (await policies.usable(ctx, given as string)).id as string;
    else if (given !== null && kind === 'network' && item.project_id)
      policyId = (await policies.defaultOf(item.project_id as string)) ?? null;
    const created = await handlers.create(ctx, rest);
    if (policyId) await bind(created.id as string, policyId);
    return (await decorate([created]))[0]!;
  };
  wrapped.update = async (ctx: CallContext, current: Resource, changes: Resource) => {
    const { qos_policy_id: next, ...rest } = changes;
    if (next !== undefined && next !== current.qos_policy_id) {
      if (current.qos_policy_id && !ctx.isAdmin) {
        try {
          await policies.usable(ctx, current.qos_policy_id as string);
        } catch {
          throw new NeutronError(
            'forbidden',
            'PolicyRemoveAuthorizationError',
            `Failed to remove provided policy ${current.qos_policy_id} because you are not authorized.`,
          );
        }
      }
      if (next) await policies.usable(ctx, next as string);
    }
    const updated = await handlers.update(ctx, current, rest);
    if (next !== undefined && next !== current.qos_policy_id)
      await bind(current.id as string, (next as string | null) ?? null);
    return (await decorate([updated]))[0]!;
  };
  wrapped.delete = async (ctx: CallContext, current: Resource) => {
    await handlers.delete(ctx, current);
    await db.kysely.deleteFrom(table).where(key, '=', current.id).execute();
  };
  return wrapped;
}
