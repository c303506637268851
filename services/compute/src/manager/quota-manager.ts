import type { Database } from '@nimbus/db';
import type { ComputeTables } from '../db/compute-tables';
import type { InstanceRepository } from '../db/instance-repository';
import type { KeypairRepository } from '../db/keypair-repository';
import type { ServerGroupRepository } from '../db/server-group-repository';

/** The quota resources Nova's quota sets show (2.57+ drops the file and network ones). */
export const QUOTA_RESOURCES = [
  'instances',
  'cores',
  'ram',
  'metadata_items',
  'injected_files',
  'injected_file_content_bytes',
  'injected_file_path_length',
  'key_pairs',
  'server_groups',
  'server_group_members',
] as const;
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];

/** Per-project limits over the configured defaults, and usage counted from the tables. */
export class QuotaManager {
  constructor(
    private readonly db: Database<ComputeTables>,
    private readonly defaults: Record<QuotaResource, number>,
    private readonly instances: InstanceRepository,
    private readonly keypairs: KeypairRepository,
    private readonly serverGroups: ServerGroupRepository,
  ) {}

  /** The configured defaults, as the `default` quota class overrides them. */
  async defaultLimits(): Promise<Record<QuotaResource, number>> {
    const out: Record<QuotaResource, number> = { ...this.defaults };
    for (const [k, v] of Object.entries(await this.classLimits('default')))
      if (k in out) out[k as QuotaResource] = v;
    return out;
  }

  /** The limits a quota class sets explicitly (any resource name it was given). */
  async classLimits(className: string): Promise<Record<string, number>> {
    const rows = await this.db.kysely
      .selectFrom('quota_classes')
      .selectAll()
      .where('class_name', '=', className)
      .execute();
    return Object.fromEntries(rows.map((r) => [r.resource, r.hard_limit]));
  }

  /** Sets limits of a quota class. */
  async setClass(className: string, limits: Record<string, number>): Promise<void> {
    await this.db.transaction(async (trx) => {
      for (const [resource, hard_limit] of Object.entries(limits)) {
        await trx
          .deleteFrom('quota_classes')
          .where('class_name', '=', className)
          .where('resource', '=', resource)
          .execute();
        await trx
          .insertInto('quota_classes')
          .values({ class_name: className, resource, hard_limit })
          .execute();
      }
    });
  }

  async limits(projectId: string): Promise<Record<QuotaResource, number>> {
    const rows = await this.db.kysely
      .selectFrom('quotas')
      .selectAll()
      .where('project_id', '=', projectId)
      .execute();
    const out = await this.defaultLimits();
    for (const r of rows) if (r.resource in out) out[r.resource as QuotaResource] = r.hard_limit;
    return out;
  }

  async set(projectId: string, limits: Partial<Record<QuotaResource, number>>): Promise<void> {
    await this.db.transaction(async (trx) => {
      for (const [resource, hard_limit] of Object.entries(limits)) {
        await trx
          .deleteFrom('quotas')
          .where('project_id', '=', projectId)
          .where('resource', '=', resource)
          .execute();
        await trx
          .insertInto('quotas')
          .values({ project_id: projectId, resource, hard_limit: hard_limit! })
          .execute();
      }
    });
  }

  async reset(projectId: string): Promise<void> {
    await this.db.kysely.deleteFrom('quotas').where('project_id', '=', projectId).execute();
  }

  /** Usage counted now (Nova counts resources rather than keeping reservations). */
  async usage(projectId: string, userId: string): Promise<Partial<Record<QuotaResource, number>>> {
    const u = await this.instances.usage(projectId);
    return {
      instances: u.instances,
      cores: u.cores,
      ram: u.ram,
      key_pairs: await this.keypairs.count(userId),
      server_groups: await this.serverGroups.count(projectId),
    };
  }
}
