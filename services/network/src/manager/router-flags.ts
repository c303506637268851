import type { Database } from '@nimbus/db';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { NOT_SPECIFIED } from '../api/subnets/subnet-definition';
import { inTransaction, type Resource } from '../db/resource-store';
import { badRequest } from './network-errors';

/** What a router gets when the caller does not say (`router_distributed`, `l3_ha`). */
export interface RouterFlagDefaults {
  distributed: boolean;
  ha: boolean;
}

const FLAGS = ['distributed', 'ha'] as const;

/**
 * The router handlers with the `distributed` and `ha` flags kept beside each router: set on
 * create (defaults when not given), changed only while the router is administratively down,
 * shown on every read (their admin-only read policies hide them from others).
 */
export function withRouterFlags<H extends ResourceHandlers>(
  handlers: H,
  db: Database<any>,
  defaults: RouterFlagDefaults,
): H {
  const wrapped = Object.create(handlers) as H;
  const decorate = async (items: Resource[]) => {
    const ids = items.map((i) => i.id as string);
    const rows = ids.length
      ? await db.kysely
          .selectFrom('router_extra_attributes')
          .selectAll()
          .where('router_id', 'in', ids)
          .execute()
      : [];
    const byId = new Map(rows.map((r) => [r.router_id as string, r]));
    for (const item of items) {
      const row = byId.get(item.id as string);
      item.distributed = row ? Boolean(row.distributed) : defaults.distributed;
      item.ha = row ? Boolean(row.ha) : defaults.ha;
    }
    return items;
  };
  wrapped.list = async (ctx: CallContext, query: ListQuery) => decorate(await handlers.list(ctx, query));
  wrapped.get = async (ctx: CallContext, id: string) => {
    const item = await handlers.get(ctx, id);
    return item && (await decorate([item]))[0];
  };
  wrapped.create = async (ctx: CallContext, item: Resource) => {
    const flags = {
      distributed: given(item.distributed) ?? defaults.distributed,
      ha: given(item.ha) ?? defaults.ha,
    };
    const { distributed: _d, ha: _h, ...rest } = item;
    const created = await handlers.create(ctx, rest);
    await inTransaction(db, (trx) =>
      trx
        .insertInto('router_extra_attributes')
        .values({ router_id: created.id as string, ...flags })
        .execute(),
    );
    return { ...created, ...flags };
  };
  wrapped.update = async (ctx: CallContext, current: Resource, changes: Resource) => {
    const { distributed, ha, ...rest } = changes;
    const flags: Partial<RouterFlagDefaults> = {};
    for (const [name, value] of [
      ['distributed', given(distributed)],
      ['ha', given(ha)],
    ] as const) {
      if (value === undefined || value === current[name]) continue;
      if (current.admin_state_up && rest.admin_state_up !== false)
        throw badRequest('router', flagChangeRefusal(name));
      flags[name] = value;
    }
    const updated = await handlers.update(ctx, current, rest);
    if (Object.keys(flags).length)
      await inTransaction(db, async (trx) => {
        const id = current.id as string;
        const exists = await trx
          .selectFrom('router_extra_attributes')
          .select('router_id')
          .where('router_id', '=', id)
          .executeTakeFirst();
        if (exists)
          await trx.updateTable('router_extra_attributes').set(flags).where('router_id', '=', id).execute();
        else
          await trx
            .insertInto('router_extra_attributes')
            .values({
              router_id: id,
              distributed: flags.distributed ?? current.distributed,
              ha: flags.ha ?? current.ha,
            })
            .execute();
      });
    return (await decorate([updated]))[0]!;
  };
  wrapped.delete = async (ctx: CallContext, current: Resource) => {
    await handlers.delete(ctx, current);
    await db.kysely.deleteFrom('router_extra_attributes').where('router_id', '=', current.id).execute();
  };
  return wrapped;
}

const given = (v: unknown): boolean | undefined =>
  v === undefined || v === NOT_SPECIFIED ? undefined : Boolean(v);

function flagChangeRefusal(name: (typeof FLAGS)[number]): string {
  return name === 'distributed'
    ? 'Cannot upgrade active router to distributed. Please set router admin_state_up to False prior to upgrade'
    : 'Cannot change HA attribute of active routers. Please set router admin_state_up to False prior to upgrade';
}
