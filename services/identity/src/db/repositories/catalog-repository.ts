import { type Database, fromJson, run, toBoolean, toJson } from '@nimbus/db';
import type { EndpointRecord, ServiceRecord } from '../../manager/catalog/build-catalog';

/** A service with what the API shows besides the catalog's fields. */
export interface StoredService extends ServiceRecord {
  description: string | null;
  extra: Record<string, unknown>;
}

/** An endpoint with its extra attributes. */
export interface StoredEndpoint extends EndpointRecord {
  extra: Record<string, unknown>;
}

/** A region. */
export interface RegionRecord {
  id: string;
  description: string;
  parentRegionId: string | null;
  extra: Record<string, unknown>;
}

type ServiceRow = { id: string; type: string; enabled: unknown; extra: string | null };
type EndpointRow = {
  id: string;
  service_id: string;
  interface: EndpointRecord['interface'];
  region_id: string | null;
  url: string;
  enabled: unknown;
  extra: string | null;
};
type RegionRow = { id: string; description: string; parent_region_id: string | null; extra: string | null };

const toService = (r: ServiceRow): StoredService => {
  const { name, description, ...extra } = fromJson<Record<string, unknown>>(r.extra, {});
  return {
    id: r.id,
    type: r.type,
    enabled: toBoolean(r.enabled),
    name: typeof name === 'string' ? name : '',
    description: typeof description === 'string' ? description : null,
    extra,
  };
};
const toEndpoint = (r: EndpointRow): StoredEndpoint => ({
  id: r.id,
  serviceId: r.service_id,
  interface: r.interface,
  regionId: r.region_id,
  url: r.url,
  enabled: toBoolean(r.enabled),
  extra: fromJson(r.extra, {}),
});
const toRegion = (r: RegionRow): RegionRecord => ({
  id: r.id,
  description: r.description,
  parentRegionId: r.parent_region_id,
  extra: fromJson(r.extra, {}),
});

/** Reads and writes regions, services and endpoints (Keystone keeps a service's name in `extra`). */
export class CatalogRepository {
  constructor(private readonly db: Database) {}

  async createService(s: StoredService): Promise<void> {
    await this.db.kysely
      .insertInto('service')
      .values({
        id: s.id,
        type: s.type,
        enabled: s.enabled,
        extra: toJson({
          ...s.extra,
          name: s.name,
          ...(s.description !== null ? { description: s.description } : {}),
        }),
      })
      .execute();
  }

  async getService(id: string): Promise<StoredService | undefined> {
    const r = (await this.db.kysely
      .selectFrom('service')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as ServiceRow | undefined;
    return r && toService(r);
  }

  async listServices(f: { type?: string } = {}): Promise<StoredService[]> {
    let q = this.db.kysely.selectFrom('service').selectAll();
    if (f.type !== undefined) q = q.where('type', '=', f.type);
    return ((await q.orderBy('id').execute()) as ServiceRow[]).map(toService);
  }

  async updateService(s: StoredService): Promise<void> {
    await this.db.kysely
      .updateTable('service')
      .set({
        type: s.type,
        enabled: s.enabled,
        extra: toJson({
          ...s.extra,
          name: s.name,
          ...(s.description !== null ? { description: s.description } : {}),
        }),
      })
      .where('id', '=', s.id)
      .execute();
  }

  async deleteService(id: string): Promise<void> {
    await this.db.transaction(async (t) => {
      await t.deleteFrom('endpoint').where('service_id', '=', id).execute();
      await t.deleteFrom('service').where('id', '=', id).execute();
    });
  }

  async createEndpoint(e: StoredEndpoint): Promise<void> {
    await run(() =>
      this.db.kysely
        .insertInto('endpoint')
        .values({
          id: e.id,
          service_id: e.serviceId,
          interface: e.interface,
          region_id: e.regionId,
          url: e.url,
          enabled: e.enabled,
          extra: toJson(e.extra),
        })
        .execute(),
    );
  }

  async getEndpoint(id: string): Promise<StoredEndpoint | undefined> {
    const r = (await this.db.kysely
      .selectFrom('endpoint')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as EndpointRow | undefined;
    return r && toEndpoint(r);
  }

  async listEndpoints(
    f: { serviceId?: string; interface?: string; regionId?: string } = {},
  ): Promise<StoredEndpoint[]> {
    let q = this.db.kysely.selectFrom('endpoint').selectAll();
    if (f.serviceId !== undefined) q = q.where('service_id', '=', f.serviceId);
    if (f.interface !== undefined) q = q.where('interface', '=', f.interface);
    if (f.regionId !== undefined) q = q.where('region_id', '=', f.regionId);
    return ((await q.orderBy('id').execute()) as EndpointRow[]).map(toEndpoint);
  }

  async updateEndpoint(e: StoredEndpoint): Promise<void> {
    await this.db.kysely
      .updateTable('endpoint')
      .set({
        service_id: e.serviceId,
        interface: e.interface,
        region_id: e.regionId,
        url: e.url,
        enabled: e.enabled,
        extra: toJson(e.extra),
      })
      .where('id', '=', e.id)
      .execute();
  }

  async deleteEndpoint(id: string): Promise<void> {
    await this.db.kysely.deleteFrom('endpoint').where('id', '=', id).execute();
  }

  async createRegion(r: RegionRecord): Promise<void> {
    await run(() =>
      this.db.kysely
        .insertInto('region')
        .values({
          id: r.id,
          description: r.description,
          parent_region_id: r.parentRegionId,
          extra: toJson(r.extra),
        })
        .execute(),
    );
  }

  async getRegion(id: string): Promise<RegionRecord | undefined> {
    const r = (await this.db.kysely
      .selectFrom('region')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as RegionRow | undefined;
    return r && toRegion(r);
  }

  async listRegions(f: { parentRegionId?: string } = {}): Promise<RegionRecord[]> {
    let q = this.db.kysely.selectFrom('region').selectAll();
    if (f.parentRegionId !== undefined) q = q.where('parent_region_id', '=', f.parentRegionId);
    return ((await q.orderBy('id').execute()) as RegionRow[]).map(toRegion);
  }

  async updateRegion(r: RegionRecord): Promise<void> {
    await this.db.kysely
      .updateTable('region')
      .set({ description: r.description, parent_region_id: r.parentRegionId, extra: toJson(r.extra) })
      .where('id', '=', r.id)
      .execute();
  }

  async deleteRegion(id: string): Promise<void> {
    await this.db.kysely.deleteFrom('region').where('id', '=', id).execute();
  }
}
