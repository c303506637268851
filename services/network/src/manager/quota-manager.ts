import type { Database } from '@nimbus/db';
import { inTransaction } from '../db/resource-store';
import { NeutronError } from './network-errors';

/** The counted resources and the table each is counted in. */
export const QUOTA_TABLES = {
  network: 'networks',
  subnet: 'subnets',
  port: 'ports',
  router: 'routers',
  floatingip: 'floatingips',
  security_group: 'security_groups',
  security_group_rule: 'security_group_rules',
} as const;

/** A counted resource. */
export type QuotaResource = keyof typeof QUOTA_TABLES;

/** A resource's limit and use, as `/details` shows it. */
export interface QuotaDetail {
  limit: number;
  used: number;
  reserved: number;
}

/**
 * Neutron's quota engine on the database driver: defaults from configuration, per-project
 * overrides in `quotas`, usage counted from the resource tables when a create asks.
 */
export class QuotaManager {
  constructor(
    private readonly db: Database<any>,
    private readonly defaults: Readonly<Record<QuotaResource, number>>,
  ) {}

  /** Whether a resource is counted. */
  static counts(resource: string): resource is QuotaResource {
    return resource in QUOTA_TABLES;
  }

  defaultLimits(): Record<QuotaResource, number> {
    return { ...this.defaults };
  }

  /** A project's limits: defaults with its overrides. */
  async limits(projectId: string): Promise<Record<QuotaResource, number>> {
    const rows = await this.db.kysely
      .selectFrom('quotas')
      .selectAll()
      .where('project_id', '=', projectId)
      .execute();
    const out = this.defaultLimits();
    for (const r of rows) if (QuotaManager.counts(r.resource)) out[r.resource] = Number(r.limit);
    return out;
  }

  /** Every project with an override, each with its full set of limits. */
  async all(): Promise<Record<string, unknown>[]> {
    const rows = await this.db.kysely.selectFrom('quotas').selectAll().orderBy('project_id').execute();
    const byProject = new Map<string, Record<string, unknown>>();
    for (const r of rows) {
      const q = byProject.get(r.project_id) ?? {
        ...this.defaultLimits(),
        project_id: r.project_id,
        tenant_id: r.project_id,
      };
      if (QuotaManager.counts(r.resource)) q[r.resource] = Number(r.limit);
      byProject.set(r.project_id, q);
    }
    return [...byProject.values()];
  }

  async details(projectId: string): Promise<Record<QuotaResource, QuotaDetail>> {
    const limits = await this.limits(projectId);
    const out = {} as Record<QuotaResource, QuotaDetail>;
    for (const resource of Object.keys(QUOTA_TABLES) as QuotaResource[]) {
      out[resource] = { limit: limits[resource], used: await this.used(projectId, resource), reserved: 0 };
    }
    return out;
  }

  private async used(projectId: string, resource: QuotaResource): Promise<number> {
    const row = await this.db.kysely
      .selectFrom(QUOTA_TABLES[resource])
      .select((eb) => eb.fn.countAll().as('n'))
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async set(projectId: string, limits: Partial<Record<QuotaResource, number>>): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      for (const [resource, limit] of Object.entries(limits)) {
        await trx
          .deleteFrom('quotas')
          .where('project_id', '=', projectId)
          .where('resource', '=', resource)
          .execute();
        await trx.insertInto('quotas').values({ project_id: projectId, resource, limit }).execute();
      }
    });
  }

  async reset(projectId: string): Promise<void> {
    await this.db.kysely.deleteFrom('quotas').where('project_id', '=', projectId).execute();
  }

  /** Refuses a create of `count` more of a resource past the project's limit (409 OverQuota). */
  async check(projectId: string, resource: string, count: number): Promise<void> {
    if (!QuotaManager.counts(resource) || !projectId) return;
    const limit = (await this.limits(projectId))[resource];
    if (limit < 0) return;
    if ((await this.used(projectId, resource)) + count > limit) {
      throw new NeutronError('conflict', 'OverQuota', `Quota exceeded for resources: ['${resource}'].`);
    }
  }
}
