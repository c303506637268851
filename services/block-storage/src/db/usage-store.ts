import type { Kysely } from 'kysely';
import type { BlockStorageTables } from './record-store';
import type { UsageShare } from './usage-counters';

/** Reads and moves the `cinder_usage` counters (moves happen inside the writer's transaction). */
export class UsageStore {
  constructor(private readonly kysely: () => Kysely<BlockStorageTables>) {}

  /** Adds each share to its counter, creating it at the share's amount when missing. */
  static async apply(trx: Kysely<BlockStorageTables>, shares: UsageShare[]): Promise<void> {
    for (const s of shares) {
      const r = await trx
        .updateTable('cinder_usage')
        .set((eb) => ({ in_use: eb('in_use', '+', s.amount) }))
        .where('scope', '=', s.scope)
        .where('resource', '=', s.resource)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) {
        await trx
          .insertInto('cinder_usage')
          .values({ scope: s.scope, resource: s.resource, in_use: s.amount })
          .execute();
      }
    }
  }

  /** Every counter of one scope, as `resource → in use`. */
  async read(scope: string, trx?: Kysely<BlockStorageTables>): Promise<Record<string, number>> {
    const rows = await (trx ?? this.kysely())
      .selectFrom('cinder_usage')
      .select(['resource', 'in_use'])
      .where('scope', '=', scope)
      .execute();
    return Object.fromEntries(rows.map((r) => [r.resource, Number(r.in_use)]));
  }

  /** The counters of every scope starting with `prefix`, as `scope → resource → in use`. */
  async readPrefixed(prefix: string): Promise<Map<string, Record<string, number>>> {
    const rows = await this.kysely()
      .selectFrom('cinder_usage')
      .select(['scope', 'resource', 'in_use'])
      .where('scope', '>=', prefix)
      .where('scope', '<', `${prefix}\uffff`)
      .execute();
    const out = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const scope = out.get(r.scope) ?? {};
      scope[r.resource] = Number(r.in_use);
      out.set(r.scope, scope);
    }
    return out;
  }
}
