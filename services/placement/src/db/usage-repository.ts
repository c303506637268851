import type { Database } from '@nimbus/db';
import type { ResourceClasses } from '../manager/resource-classes';
import type { PlacementTables } from './placement-tables';

/** Usages: per provider (every class it has inventory of) and per project / user / consumer type. */
export class UsageRepository {
  constructor(
    private readonly db: Database<PlacementTables>,
    private readonly classes: ResourceClasses,
  ) {}

  /** class → used, for every class the provider has inventory of. */
  async ofProvider(providerId: number): Promise<Record<string, number>> {
    const inv = await this.db.kysely
      .selectFrom('inventories')
      .select('resource_class_id')
      .where('resource_provider_id', '=', providerId)
      .execute();
    const used = await this.db.kysely
      .selectFrom('allocations')
      .select(['resource_class_id', (eb) => eb.fn.sum<number>('used').as('used')])
      .where('resource_provider_id', '=', providerId)
      .groupBy('resource_class_id')
      .execute();
    const byClass = new Map(used.map((u) => [u.resource_class_id, Number(u.used)]));
    const out: Record<string, number> = {};
    for (const i of inv)
      out[await this.classes.nameOf(i.resource_class_id)] = byClass.get(i.resource_class_id) ?? 0;
    return out;
  }

  /**
   * Usage rows of a project (and user): class, consumer type name (null when none), amount, and
   * the distinct consumers behind it.
   */
  async ofProject(
    projectId: string,
    userId?: string,
  ): Promise<{ resourceClass: string; consumerType: string | null; used: number; consumer: string }[]> {
    let q = this.db.kysely
      .selectFrom('allocations as a')
      .innerJoin('consumers as c', 'c.uuid', 'a.consumer_id')
      .leftJoin('consumer_types as t', 't.id', 'c.consumer_type_id')
      .select(['a.resource_class_id', 'a.used', 'a.consumer_id', 't.name as type'])
      .where('c.project_id', '=', projectId);
    if (userId !== undefined) q = q.where('c.user_id', '=', userId);
    const rows = await q.execute();
    const out = [];
    for (const r of rows) {
      out.push({
        resourceClass: await this.classes.nameOf(r.resource_class_id),
        consumerType: r.type ?? null,
        used: Number(r.used),
        consumer: r.consumer_id,
      });
    }
    return out;
  }
}
