import { randomUUID } from 'node:crypto';
import type { CatalogEntry } from '@nimbus/auth';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '@nimbus/errors';
import type {
  CatalogRepository,
  RegionRecord,
  StoredEndpoint,
  StoredService,
} from '../../db/repositories/catalog-repository';
import { buildCatalog } from './build-catalog';

const newId = () => randomUUID().replaceAll('-', '');
const notFound = (kind: string, id: string) =>
  new NotFoundError(`Could not find ${kind}: ${id}.`, { code: `IDENTITY_${kind.toUpperCase()}_NOT_FOUND` });
const expecting = (attribute: string, target: string) =>
  new BadRequestError(
    `Expecting to find ${attribute} in ${target}. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`,
    {
      code: 'IDENTITY_VALIDATION',
    },
  );

/**
 * Regions (a hierarchy without cycles), services and their endpoints, and the catalog a token
 * shows. The catalog is cached in memory and rebuilt after any change in this process, since
 * every scoped token issue and validation reads it.
 */
export class CatalogManager {
  private cache: { services: StoredService[]; endpoints: StoredEndpoint[] } | undefined;

  constructor(private readonly repo: CatalogRepository) {}

  /** The catalog of a token (templates filled for its project and user). */
  async catalogFor(
    scope: { projectId?: string; userId?: string },
    onlyEndpointIds?: ReadonlySet<string>,
  ): Promise<CatalogEntry[]> {
    this.cache ??= { services: await this.repo.listServices(), endpoints: await this.repo.listEndpoints() };
    const endpoints = onlyEndpointIds
      ? this.cache.endpoints.filter((e) => onlyEndpointIds.has(e.id))
      : this.cache.endpoints;
    return buildCatalog(this.cache.services, endpoints, scope);
  }

  // Regions --------------------------------------------------------------------------------------

  async getRegion(id: string): Promise<RegionRecord> {
    const r = await this.repo.getRegion(id);
    if (!r) throw notFound('region', id);
    return r;
  }

  listRegions(f: { parentRegionId?: string } = {}): Promise<RegionRecord[]> {
    return this.repo.listRegions(f);
  }

  async createRegion(input: {
    id?: string;
    description?: string | null;
    parentRegionId?: string | null;
    extra?: Record<string, unknown>;
  }): Promise<RegionRecord> {
    const id = input.id ?? newId();
    if (await this.repo.getRegion(id))
      throw new ConflictError(`Conflict occurred attempting to store region - Duplicate ID, ${id}.`);
    if (input.parentRegionId) await this.getRegion(input.parentRegionId);
    const r: RegionRecord = {
      id,
      description: input.description ?? '',
      parentRegionId: input.parentRegionId ?? null,
      extra: input.extra ?? {},
    };
    await this.repo.createRegion(r);
    return r;
  }

  async updateRegion(
    id: string,
    changes: { description?: string | null; parentRegionId?: string | null; extra?: Record<string, unknown> },
  ): Promise<RegionRecord> {
    const before = await this.getRegion(id);
    const parent = changes.parentRegionId === undefined ? before.parentRegionId : changes.parentRegionId;
    if (parent) {
      await this.getRegion(parent);
      for (let p: string | null = parent; p; p = (await this.repo.getRegion(p))?.parentRegionId ?? null) {
        if (p === id)
          throw new BadRequestError(`Circular reference or a repeated entry found in region tree - ${id}.`, {
            code: 'IDENTITY_CIRCULAR_REGION',
          });
      }
    }
    const after: RegionRecord = {
      ...before,
      ...(changes.description !== undefined ? { description: changes.description ?? '' } : {}),
      parentRegionId: parent,
      extra: { ...before.extra, ...changes.extra },
    };
    await this.repo.updateRegion(after);
    return after;
  }

  /** Deletes a region and its children; refused while any of them has endpoints. */
  async deleteRegion(id: string): Promise<void> {
    await this.getRegion(id);
    const tree = [id];
    for (let i = 0; i < tree.length; i++)
      for (const c of await this.repo.listRegions({ parentRegionId: tree[i]! }))
        if (!tree.includes(c.id)) tree.push(c.id);
    const endpoints = await this.repo.listEndpoints();
    if (endpoints.some((e) => e.regionId !== null && tree.includes(e.regionId))) {
      throw new ForbiddenError(
        `Unable to delete region ${id} because it or its child regions have associated endpoints.`,
        { code: 'IDENTITY_REGION_IN_USE' },
      );
    }
    for (const r of tree.reverse()) await this.repo.deleteRegion(r);
  }

  // Services -------------------------------------------------------------------------------------

  async getService(id: string): Promise<StoredService> {
    const s = await this.repo.getService(id);
    if (!s) throw notFound('service', id);
    return s;
  }

  listServices(f: { type?: string; name?: string } = {}): Promise<StoredService[]> {
    return this.repo
      .listServices(f.type !== undefined ? { type: f.type } : {})
      .then((l) => l.filter((s) => f.name === undefined || s.name === f.name));
  }

  async createService(input: {
    type: string;
    name?: string;
    description?: string | null;
    enabled?: boolean;
    extra?: Record<string, unknown>;
  }): Promise<StoredService> {
    const s: StoredService = {
      id: newId(),
      type: input.type,
      name: input.name ?? '',
      description: input.description ?? null,
      enabled: input.enabled ?? true,
      extra: input.extra ?? {},
    };
    await this.repo.createService(s);
    this.cache = undefined;
    return s;
  }

  async updateService(id: string, changes: Partial<Omit<StoredService, 'id'>>): Promise<StoredService> {
    const before = await this.getService(id);
    const after: StoredService = { ...before, ...changes, extra: { ...before.extra, ...changes.extra } };
    await this.repo.updateService(after);
    this.cache = undefined;
    return after;
  }

  async deleteService(id: string): Promise<void> {
    await this.getService(id);
    await this.repo.deleteService(id);
    this.cache = undefined;
  }

  // Endpoints ------------------------------------------------------------------------------------

  async getEndpoint(id: string): Promise<StoredEndpoint> {
    const e = await this.repo.getEndpoint(id);
    if (!e) throw notFound('endpoint', id);
    return e;
  }

  listEndpoints(
    f: { serviceId?: string; interface?: string; regionId?: string } = {},
  ): Promise<StoredEndpoint[]> {
    return this.repo.listEndpoints(f);
  }

  async createEndpoint(input: Omit<StoredEndpoint, 'id'> & { id?: string }): Promise<StoredEndpoint> {
    await this.assertRefs(input.serviceId, input.regionId);
    const e: StoredEndpoint = { ...input, id: input.id ?? newId() };
    await this.repo.createEndpoint(e);
    this.cache = undefined;
    return e;
  }

  async updateEndpoint(id: string, changes: Partial<Omit<StoredEndpoint, 'id'>>): Promise<StoredEndpoint> {
    const before = await this.getEndpoint(id);
    const after: StoredEndpoint = { ...before, ...changes, extra: { ...before.extra, ...changes.extra } };
    await this.assertRefs(after.serviceId, after.regionId);
    await this.repo.updateEndpoint(after);
    this.cache = undefined;
    return after;
  }

  async deleteEndpoint(id: string): Promise<void> {
    await this.getEndpoint(id);
    await this.repo.deleteEndpoint(id);
    this.cache = undefined;
  }

  // Bootstrap ------------------------------------------------------------------------------------

  async ensureRegion(id: string): Promise<void> {
    if (!(await this.repo.getRegion(id))) await this.createRegion({ id });
  }

  async ensureService(type: string, name: string): Promise<string> {
    const found = (await this.repo.listServices({ type })).find((s) => s.name === name);
    return found ? found.id : (await this.createService({ type, name })).id;
  }

  async ensureEndpoint(
    serviceId: string,
    iface: StoredEndpoint['interface'],
    url: string,
    regionId: string,
  ): Promise<void> {
    const found = (await this.repo.listEndpoints({ serviceId, interface: iface, regionId }))[0];
    if (!found)
      await this.createEndpoint({ serviceId, interface: iface, url, regionId, enabled: true, extra: {} });
    else if (found.url !== url) await this.updateEndpoint(found.id, { url });
  }

  private async assertRefs(serviceId: string, regionId: string | null): Promise<void> {
    if (!(await this.repo.getService(serviceId))) throw expecting('endpoint service_id', 'service table');
    if (regionId !== null && !(await this.repo.getRegion(regionId)))
      throw expecting('endpoint region_id', 'region table');
  }
}
