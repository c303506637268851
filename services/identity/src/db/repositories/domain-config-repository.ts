import { type Database, fromJson, toBoolean, toJson } from '@nimbus/db';

/** One stored option of a domain's configuration. */
export interface DomainConfigOption {
  group: string;
  option: string;
  value: unknown;
  sensitive: boolean;
}

type Row = { group: string; option: string; value: string; sensitive: unknown };

/** Reads and writes domain-specific configuration options. */
export class DomainConfigRepository {
  constructor(private readonly db: Database) {}

  async list(
    domainId: string,
    f: { group?: string; option?: string; sensitive?: boolean } = {},
  ): Promise<DomainConfigOption[]> {
    let q = this.db.kysely
      .selectFrom('domain_config')
      .select(['group', 'option', 'value', 'sensitive'])
      .where('domain_id', '=', domainId);
    if (f.group !== undefined) q = q.where('group', '=', f.group);
    if (f.option !== undefined) q = q.where('option', '=', f.option);
    if (f.sensitive !== undefined) q = q.where('sensitive', '=', f.sensitive ? 1 : 0);
    const rows = (await q.orderBy('group').orderBy('option').execute()) as Row[];
    return rows.map((r) => ({
      group: r.group,
      option: r.option,
      value: fromJson(r.value, null),
      sensitive: toBoolean(r.sensitive),
    }));
  }

  /** Replaces the domain's whole configuration. */
  async replace(domainId: string, options: readonly DomainConfigOption[]): Promise<void> {
    await this.db.transaction(async (t) => {
      await t.deleteFrom('domain_config').where('domain_id', '=', domainId).execute();
      for (const o of options)
        await t
          .insertInto('domain_config')
          .values({
            domain_id: domainId,
            group: o.group,
            option: o.option,
            value: toJson(o.value),
            sensitive: o.sensitive,
          })
          .execute();
    });
  }

  /** Creates or updates the given options, leaving the others. */
  async upsert(domainId: string, options: readonly DomainConfigOption[]): Promise<void> {
    await this.db.transaction(async (t) => {
      for (const o of options) {
        await t
          .deleteFrom('domain_config')
          .where('domain_id', '=', domainId)
          .where('group', '=', o.group)
          .where('option', '=', o.option)
          .execute();
        await t
          .insertInto('domain_config')
          .values({
            domain_id: domainId,
            group: o.group,
            option: o.option,
            value: toJson(o.value),
            sensitive: o.sensitive,
          })
          .execute();
      }
    });
  }

  async delete(domainId: string, group?: string, option?: string): Promise<void> {
    let q = this.db.kysely.deleteFrom('domain_config').where('domain_id', '=', domainId);
    if (group !== undefined) q = q.where('group', '=', group);
    if (option !== undefined) q = q.where('option', '=', option);
    await q.execute();
  }
}
