import { type Database, run } from '@nimbus/db';

/** A registered limit: the default of one resource of one service (in one region). */
export interface RegisteredLimitRecord {
  id: string;
  serviceId: string;
  regionId: string | null;
  resourceName: string;
  defaultLimit: number;
  description: string | null;
}

/** A project or domain limit overriding a registered limit. */
export interface LimitRecord {
  id: string;
  projectId: string | null;
  domainId: string | null;
  registeredLimitId: string;
  resourceLimit: number;
  description: string | null;
}

/** A limit joined with its registered limit's service, region and resource. */
export type LimitView = LimitRecord & { serviceId: string; regionId: string | null; resourceName: string };

type RegRow = {
  id: string;
  service_id: string;
  region_id: string | null;
  resource_name: string;
  default_limit: number;
  description: string | null;
};
type LimRow = {
  id: string;
  project_id: string | null;
  domain_id: string | null;
  registered_limit_id: string;
  resource_limit: number;
  description: string | null;
};

const toReg = (r: RegRow): RegisteredLimitRecord => ({
  id: r.id,
  serviceId: r.service_id,
  regionId: r.region_id,
  resourceName: r.resource_name,
  defaultLimit: Number(r.default_limit),
  description: r.description,
});

/** Filters of the list calls; `regionId: null` matches limits without a region. */
export interface LimitFilter {
  id?: string;
  serviceId?: string;
  regionId?: string | null;
  resourceName?: string;
  projectId?: string;
  domainId?: string;
}

/** Reads and writes registered limits and limits. */
export class LimitRepository {
  constructor(private readonly db: Database) {}

  async createRegistered(rows: RegisteredLimitRecord[]): Promise<void> {
    await this.db.transaction(async (t) => {
      for (const r of rows) {
        await t
          .insertInto('registered_limit')
          .values({
            id: r.id,
            service_id: r.serviceId,
            region_id: r.regionId,
            resource_name: r.resourceName,
            default_limit: r.defaultLimit,
            description: r.description,
          })
          .execute();
      }
    });
  }

  async listRegistered(f: LimitFilter = {}): Promise<RegisteredLimitRecord[]> {
    let q = this.db.kysely.selectFrom('registered_limit').selectAll();
    if (f.serviceId !== undefined) q = q.where('service_id', '=', f.serviceId);
    if (f.regionId !== undefined)
      q = f.regionId === null ? q.where('region_id', 'is', null) : q.where('region_id', '=', f.regionId);
    if (f.resourceName !== undefined) q = q.where('resource_name', '=', f.resourceName);
    return ((await q.orderBy('id').execute()) as RegRow[]).map(toReg);
  }

  async getRegistered(id: string): Promise<RegisteredLimitRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('registered_limit')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as RegRow | undefined;
    return row && toReg(row);
  }

  async updateRegistered(id: string, r: Omit<RegisteredLimitRecord, 'id'>): Promise<void> {
    await this.db.transaction((t) =>
      t
        .updateTable('registered_limit')
        .set({
          service_id: r.serviceId,
          region_id: r.regionId,
          resource_name: r.resourceName,
          default_limit: r.defaultLimit,
          description: r.description,
        })
        .where('id', '=', id)
        .execute(),
    );
  }

  async deleteRegistered(id: string): Promise<void> {
    await run(() => this.db.kysely.deleteFrom('registered_limit').where('id', '=', id).execute());
  }

  async hasLimits(registeredLimitId: string): Promise<boolean> {
    return (
      (await this.db.kysely
        .selectFrom('unified_limit')
        .select('id')
        .where('registered_limit_id', '=', registeredLimitId)
        .executeTakeFirst()) !== undefined
    );
  }

  async createLimits(rows: LimitRecord[]): Promise<void> {
    await this.db.transaction(async (t) => {
      for (const r of rows) {
        await t
          .insertInto('unified_limit')
          .values({
            id: r.id,
            project_id: r.projectId,
            domain_id: r.domainId,
            registered_limit_id: r.registeredLimitId,
            resource_limit: r.resourceLimit,
            description: r.description,
          })
          .execute();
      }
    });
  }

  async listLimits(f: LimitFilter = {}): Promise<LimitView[]> {
    let q = this.db.kysely
      .selectFrom('unified_limit as l')
      .innerJoin('registered_limit as r', 'r.id', 'l.registered_limit_id')
      .select([
        'l.id',
        'l.project_id',
        'l.domain_id',
        'l.registered_limit_id',
        'l.resource_limit',
        'l.description',
        'r.service_id',
        'r.region_id',
        'r.resource_name',
      ]);
    if (f.id !== undefined) q = q.where('l.id', '=', f.id);
    if (f.serviceId !== undefined) q = q.where('r.service_id', '=', f.serviceId);
    if (f.regionId !== undefined)
      q = f.regionId === null ? q.where('r.region_id', 'is', null) : q.where('r.region_id', '=', f.regionId);
    if (f.resourceName !== undefined) q = q.where('r.resource_name', '=', f.resourceName);
    if (f.projectId !== undefined) q = q.where('l.project_id', '=', f.projectId);
    if (f.domainId !== undefined) q = q.where('l.domain_id', '=', f.domainId);
    const rows = (await q.orderBy('l.id').execute()) as (LimRow & {
      service_id: string;
      region_id: string | null;
      resource_name: string;
    })[];
    return rows.map((r) => ({
      id: r.id,
      projectId: r.project_id,
      domainId: r.domain_id,
      registeredLimitId: r.registered_limit_id,
      resourceLimit: Number(r.resource_limit),
      description: r.description,
      serviceId: r.service_id,
      regionId: r.region_id,
      resourceName: r.resource_name,
    }));
  }

  async getLimit(id: string): Promise<LimitView | undefined> {
    return (await this.listLimits({ id }))[0];
  }

  async updateLimit(
    id: string,
    changes: { resourceLimit?: number; description?: string | null },
  ): Promise<void> {
    const set: Record<string, unknown> = {};
    if (changes.resourceLimit !== undefined) set.resource_limit = changes.resourceLimit;
    if (changes.description !== undefined) set.description = changes.description;
    if (Object.keys(set).length)
      await this.db.transaction((t) =>
        t.updateTable('unified_limit').set(set).where('id', '=', id).execute(),
      );
  }

  async deleteLimit(id: string): Promise<boolean> {
    const r = await run(() =>
      this.db.kysely.deleteFrom('unified_limit').where('id', '=', id).executeTakeFirst(),
    );
    return Number(r.numDeletedRows) > 0;
  }

  /** Removes the limits of a deleted project or domain. */
  async deleteLimitsOf(targetId: string): Promise<void> {
    await run(() =>
      this.db.kysely
        .deleteFrom('unified_limit')
        .where((eb) => eb.or([eb('project_id', '=', targetId), eb('domain_id', '=', targetId)]))
        .execute(),
    );
  }
}
