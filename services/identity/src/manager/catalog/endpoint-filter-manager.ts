import { randomUUID } from 'node:crypto';
import { BadRequestError, NotFoundError } from '@nimbus/errors';
import type { StoredEndpoint } from '../../db/repositories/catalog-repository';
import type {
  EndpointFilterRepository,
  EndpointGroupRecord,
} from '../../db/repositories/endpoint-filter-repository';
import type { CatalogManager } from './catalog-manager';

const FILTER_KEYS = ['service_id', 'region_id', 'interface'];

const groupNotFound = (id: string) =>
  new NotFoundError(`Could not find Endpoint Group: ${id}.`, { code: 'IDENTITY_ENDPOINT_GROUP_NOT_FOUND' });

/**
 * OS-EP-FILTER: endpoint groups (endpoints matching attribute filters) and their association with
 * projects, and single endpoints associated with projects. A project with any association sees
 * only those endpoints in its token's catalog; a project with none sees them all.
 */
export class EndpointFilterManager {
  constructor(
    private readonly repo: EndpointFilterRepository,
    private readonly catalog: CatalogManager,
    /** Throws Keystone's ProjectNotFound for an unknown project. */
    private readonly requireProject: (id: string) => Promise<unknown>,
  ) {}

  async getGroup(id: string): Promise<EndpointGroupRecord> {
    const g = await this.repo.getGroup(id);
    if (!g) throw groupNotFound(id);
    return g;
  }

  listGroups(f: { name?: string } = {}): Promise<EndpointGroupRecord[]> {
    return this.repo.listGroups(f);
  }

  async createGroup(input: {
    name: string;
    description?: string | null;
    filters: Record<string, string>;
  }): Promise<EndpointGroupRecord> {
    this.assertFilters(input.filters);
    const g: EndpointGroupRecord = {
      id: randomUUID().replaceAll('-', ''),
      name: input.name,
      description: input.description ?? null,
      filters: input.filters,
    };
    await this.repo.createGroup(g);
    return g;
  }

  async updateGroup(
    id: string,
    changes: Partial<Omit<EndpointGroupRecord, 'id'>>,
  ): Promise<EndpointGroupRecord> {
    const before = await this.getGroup(id);
    if (changes.filters) this.assertFilters(changes.filters);
    const after = { ...before, ...changes };
    await this.repo.updateGroup(after);
    return after;
  }

  async deleteGroup(id: string): Promise<void> {
    await this.getGroup(id);
    await this.repo.deleteGroup(id);
  }

  /** The endpoints a group's filters select. */
  async endpointsInGroup(id: string): Promise<StoredEndpoint[]> {
    const g = await this.getGroup(id);
    return (await this.catalog.listEndpoints()).filter((e) => matches(e, g.filters));
  }

  async associateGroup(groupId: string, projectId: string): Promise<void> {
    await this.getGroup(groupId);
    await this.requireProject(projectId);
    await this.repo.associateGroup(groupId, projectId);
  }

  async checkGroup(groupId: string, projectId: string): Promise<void> {
    await this.getGroup(groupId);
    await this.requireProject(projectId);
    if (!(await this.repo.groupAssociations({ groupId, projectId })).length) {
      throw new NotFoundError('Endpoint Group Project Association not found', {
        code: 'IDENTITY_ENDPOINT_GROUP_NOT_ASSOCIATED',
      });
    }
  }

  async dissociateGroup(groupId: string, projectId: string): Promise<void> {
    await this.checkGroup(groupId, projectId);
    await this.repo.dissociateGroup(groupId, projectId);
  }

  async projectIdsForGroup(groupId: string): Promise<string[]> {
    await this.getGroup(groupId);
    return (await this.repo.groupAssociations({ groupId })).map((a) => a.projectId);
  }

  async groupsForProject(projectId: string): Promise<EndpointGroupRecord[]> {
    await this.requireProject(projectId);
    const ids = (await this.repo.groupAssociations({ projectId })).map((a) => a.groupId);
    return (await this.repo.listGroups()).filter((g) => ids.includes(g.id));
  }

  async associateEndpoint(endpointId: string, projectId: string): Promise<void> {
    await this.catalog.getEndpoint(endpointId);
    await this.requireProject(projectId);
    await this.repo.associateEndpoint(endpointId, projectId);
  }

  async checkEndpoint(endpointId: string, projectId: string): Promise<void> {
    await this.catalog.getEndpoint(endpointId);
    await this.requireProject(projectId);
    if (!(await this.repo.endpointAssociations({ endpointId, projectId })).length) {
      throw new NotFoundError(`Endpoint ${endpointId} not found in project ${projectId}`, {
        code: 'IDENTITY_ENDPOINT_NOT_ASSOCIATED',
      });
    }
  }

  async dissociateEndpoint(endpointId: string, projectId: string): Promise<void> {
    await this.checkEndpoint(endpointId, projectId);
    await this.repo.dissociateEndpoint(endpointId, projectId);
  }

  async projectIdsForEndpoint(endpointId: string): Promise<string[]> {
    await this.catalog.getEndpoint(endpointId);
    return (await this.repo.endpointAssociations({ endpointId })).map((a) => a.projectId);
  }

  /** Endpoints associated with a project, directly or through its groups. */
  async endpointsForProject(projectId: string): Promise<StoredEndpoint[]> {
    await this.requireProject(projectId);
    const ids = await this.endpointIdsForProject(projectId);
    return ids ? (await this.catalog.listEndpoints()).filter((e) => ids.has(e.id)) : [];
  }

  /** The endpoint ids a project's catalog is limited to, or undefined when it has no association. */
  async endpointIdsForProject(projectId: string): Promise<Set<string> | undefined> {
    const direct = await this.repo.endpointAssociations({ projectId });
    const groups = await this.repo.groupAssociations({ projectId });
    if (!direct.length && !groups.length) return undefined;
    const ids = new Set(direct.map((a) => a.endpointId));
    for (const a of groups)
      for (const e of await this.endpointsInGroup(a.groupId).catch(() => [])) ids.add(e.id);
    return ids;
  }

  forgetProject(projectId: string): Promise<void> {
    return this.repo.forget({ projectId });
  }

  private assertFilters(filters: Record<string, string>): void {
    const bad = Object.keys(filters).filter((k) => !FILTER_KEYS.includes(k));
    if (bad.length)
      throw new BadRequestError(
        `Invalid input for field 'filters': the endpoint group filter ${bad.join(', ')} is not an endpoint attribute.`,
        { code: 'IDENTITY_VALIDATION' },
      );
  }
}

function matches(e: StoredEndpoint, filters: Record<string, string>): boolean {
  const attrs: Record<string, string | null> = {
    service_id: e.serviceId,
    region_id: e.regionId,
    interface: e.interface,
  };
  return Object.entries(filters).every(([k, v]) => attrs[k] === v);
}
