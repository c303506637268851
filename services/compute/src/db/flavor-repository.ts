import { type Database, fromJson, nowTimestamp, toBoolean, toJson } from '@nimbus/db';
import type { ComputeTables, FlavorRow } from './compute-tables';

/** A flavor as the managers see it. */
export interface Flavor {
  id: string;
  name: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  ephemeralGb: number;
  swapMb: number;
  rxtxFactor: number;
  isPublic: boolean;
  disabled: boolean;
  description: string | null;
  extraSpecs: Record<string, string>;
  createdAt: string;
}

/** The flavors, their extra specs and access lists. */
export class FlavorRepository {
  constructor(private readonly db: Database<ComputeTables>) {}

  async create(f: Omit<Flavor, 'createdAt'>): Promise<Flavor> {
    const row: FlavorRow = {
      flavorid: f.id,
      name: f.name,
      vcpus: f.vcpus,
      memory_mb: f.ramMb,
      root_gb: f.diskGb,
      ephemeral_gb: f.ephemeralGb,
      swap: f.swapMb,
      rxtx_factor: f.rxtxFactor,
      is_public: f.isPublic,
      disabled: f.disabled,
      description: f.description,
      extra_specs: toJson(f.extraSpecs),
      created_at: nowTimestamp(),
      updated_at: null,
    };
    await this.db.kysely.insertInto('flavors').values(row).execute();
    return toFlavor(row);
  }

  async get(id: string): Promise<Flavor | undefined> {
    const row = await this.db.kysely
      .selectFrom('flavors')
      .selectAll()
      .where('flavorid', '=', id)
      .executeTakeFirst();
    return row ? toFlavor(row) : undefined;
  }

  async byName(name: string): Promise<Flavor | undefined> {
    const row = await this.db.kysely
      .selectFrom('flavors')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? toFlavor(row) : undefined;
  }

  /** Every flavor; callers filter and page (flavors are few). */
  async all(): Promise<Flavor[]> {
    const rows = await this.db.kysely.selectFrom('flavors').selectAll().execute();
    return rows.map(toFlavor);
  }

  async update(
    id: string,
    changes: { description?: string | null; extraSpecs?: Record<string, string> },
  ): Promise<void> {
    const values: Record<string, unknown> = { updated_at: nowTimestamp() };
    if (changes.description !== undefined) values.description = changes.description;
    if (changes.extraSpecs !== undefined) values.extra_specs = toJson(changes.extraSpecs);
    await this.db.kysely.updateTable('flavors').set(values).where('flavorid', '=', id).execute();
  }

  async delete(id: string): Promise<boolean> {
    const res = await this.db.kysely.deleteFrom('flavors').where('flavorid', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async projects(id: string): Promise<string[]> {
    const rows = await this.db.kysely
      .selectFrom('flavor_projects')
      .select('project_id')
      .where('flavorid', '=', id)
      .execute();
    return rows.map((r) => r.project_id);
  }

  /** Flavor ids a project was given access to. */
  async accessibleTo(projectId: string): Promise<Set<string>> {
    const rows = await this.db.kysely
      .selectFrom('flavor_projects')
      .select('flavorid')
      .where('project_id', '=', projectId)
      .execute();
    return new Set(rows.map((r) => r.flavorid));
  }

  async addProject(id: string, projectId: string): Promise<void> {
    await this.db.kysely
      .insertInto('flavor_projects')
      .values({ flavorid: id, project_id: projectId })
      .execute();
  }

  async removeProject(id: string, projectId: string): Promise<boolean> {
    const res = await this.db.kysely
      .deleteFrom('flavor_projects')
      .where('flavorid', '=', id)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}

function toFlavor(r: FlavorRow): Flavor {
  return {
    id: r.flavorid,
    name: r.name,
    vcpus: r.vcpus,
    ramMb: r.memory_mb,
    diskGb: r.root_gb,
    ephemeralGb: r.ephemeral_gb,
    swapMb: r.swap,
    rxtxFactor: r.rxtx_factor,
    isPublic: toBoolean(r.is_public),
    disabled: toBoolean(r.disabled),
    description: r.description,
    extraSpecs: fromJson(r.extra_specs, {}),
    createdAt: r.created_at,
  };
}
