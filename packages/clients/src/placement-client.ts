import { type EndpointSource, RestClient, type RestClientOptions } from './rest-client';

/** Amounts of resource classes (`{ VCPU: 2, MEMORY_MB: 2048 }`). */
export type ResourceAmounts = Record<string, number>;

/** One inventory record as Placement shows it. */
export interface InventoryRecord {
  total: number;
  reserved?: number;
  min_unit?: number;
  max_unit?: number;
  step_size?: number;
  allocation_ratio?: number;
}

/** A resource provider as Placement shows it (1.20+). */
export interface ResourceProviderDocument {
  uuid: string;
  name: string;
  generation: number;
  parent_provider_uuid?: string | null;
  root_provider_uuid?: string;
}

/** Allocations of one consumer, keyed by provider. */
export type AllocationMap = Record<string, { resources: ResourceAmounts }>;

/** The answer of GET /allocation_candidates (1.29+ shape, as the scheduler reads it). */
export interface AllocationCandidates {
  allocation_requests: { allocations: AllocationMap; mappings?: Record<string, string[]> }[];
  provider_summaries: Record<
    string,
    {
      resources: Record<string, { capacity: number; used: number }>;
      traits?: string[];
      parent_provider_uuid?: string | null;
      root_provider_uuid?: string;
    }
  >;
}

/** What GET /allocations/{consumer} answers (1.28+). */
export interface ConsumerAllocations {
  allocations: Record<string, { resources: ResourceAmounts; generation?: number }>;
  consumer_generation?: number | null;
  project_id?: string;
  user_id?: string;
}

/** The microversion every call of this client speaks. */
const PLACEMENT_VERSION = '1.39';

/**
 * The Placement calls other services make (Nova's report client): resource providers, their
 * inventories, traits and aggregates, allocation candidates, and consumers' allocations. Every
 * call speaks microversion 1.39; errors come back as RemoteServiceError with the answer's status
 * (409 for a generation conflict).
 */
export class PlacementClient {
  private readonly rest: RestClient;

  constructor(source: EndpointSource, options: RestClientOptions = {}) {
    this.rest = new RestClient('placement', source, options);
  }

  private call<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    json?: unknown,
    query?: Record<string, string | number | undefined>,
    expect?: number[],
  ): Promise<T> {
    return this.rest.json<T>({
      method,
      path,
      ...(json !== undefined ? { json } : {}),
      ...(query ? { query } : {}),
      ...(expect ? { expect } : {}),
      headers: { 'openstack-api-version': `placement ${PLACEMENT_VERSION}` },
    });
  }

  /** One provider, or undefined when it does not exist. */
  async getProvider(uuid: string): Promise<ResourceProviderDocument | undefined> {
    const res = await this.rest.request({
      method: 'GET',
      path: `/resource_providers/${uuid}`,
      expect: [404],
      headers: { 'openstack-api-version': `placement ${PLACEMENT_VERSION}` },
    });
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    return res.json<ResourceProviderDocument>();
  }

  /** Providers matching the filters (`name`, `uuid`, `in_tree`, `member_of`, `resources`, `required`). */
  async listProviders(query: Record<string, string | undefined> = {}): Promise<ResourceProviderDocument[]> {
    const body = await this.call<{ resource_providers: ResourceProviderDocument[] }>(
      'GET',
      '/resource_providers',
      undefined,
      query,
    );
    return body.resource_providers;
  }

  /** Creates a provider (its uuid chosen by the caller, as Nova names a compute node's). */
  createProvider(input: {
    uuid: string;
    name: string;
    parent_provider_uuid?: string;
  }): Promise<ResourceProviderDocument> {
    return this.call('POST', '/resource_providers', input);
  }

  /** Deletes a provider (409 while it has allocations). */
  async deleteProvider(uuid: string): Promise<void> {
    await this.call('DELETE', `/resource_providers/${uuid}`, undefined, undefined, [404]);
  }

  /** The provider's inventories and generation. */
  getInventories(
    uuid: string,
  ): Promise<{ inventories: Record<string, InventoryRecord>; resource_provider_generation: number }> {
    return this.call('GET', `/resource_providers/${uuid}/inventories`);
  }

  /** Replaces every inventory of the provider at `generation` (409 when it moved). */
  setInventories(
    uuid: string,
    generation: number,
    inventories: Record<string, InventoryRecord>,
  ): Promise<{ inventories: Record<string, InventoryRecord>; resource_provider_generation: number }> {
    return this.call('PUT', `/resource_providers/${uuid}/inventories`, {
      resource_provider_generation: generation,
      inventories,
    });
  }

  /** The provider's traits and generation. */
  getTraits(uuid: string): Promise<{ traits: string[]; resource_provider_generation: number }> {
    return this.call('GET', `/resource_providers/${uuid}/traits`);
  }

  /** Replaces the provider's traits at `generation`. */
  setTraits(
    uuid: string,
    generation: number,
    traits: string[],
  ): Promise<{ traits: string[]; resource_provider_generation: number }> {
    return this.call('PUT', `/resource_providers/${uuid}/traits`, {
      resource_provider_generation: generation,
      traits,
    });
  }

  /** Creates a custom trait (`CUSTOM_*`); already existing is fine. */
  async ensureTrait(name: string): Promise<void> {
    await this.rest.request({
      method: 'PUT',
      path: `/traits/${encodeURIComponent(name)}`,
      headers: { 'openstack-api-version': `placement ${PLACEMENT_VERSION}` },
    });
  }

  /** The provider's aggregates and generation. */
  getAggregates(uuid: string): Promise<{ aggregates: string[]; resource_provider_generation: number }> {
    return this.call('GET', `/resource_providers/${uuid}/aggregates`);
  }

  /** Replaces the provider's aggregates at `generation`. */
  setAggregates(
    uuid: string,
    generation: number,
    aggregates: string[],
  ): Promise<{ aggregates: string[]; resource_provider_generation: number }> {
    return this.call('PUT', `/resource_providers/${uuid}/aggregates`, {
      resource_provider_generation: generation,
      aggregates,
    });
  }

  /** Usages of one provider. */
  async providerUsages(uuid: string): Promise<ResourceAmounts> {
    return (await this.call<{ usages: ResourceAmounts }>('GET', `/resource_providers/${uuid}/usages`)).usages;
  }

  /**
   * Allocation candidates for `resources` (`{VCPU: 1, MEMORY_MB: 512}`); `required` traits,
   * `member_of` aggregates, `in_tree` and `limit` as the query parameters of the same names.
   */
  allocationCandidates(input: {
    resources: ResourceAmounts;
    required?: string[];
    member_of?: string[];
    in_tree?: string;
    limit?: number;
  }): Promise<AllocationCandidates> {
    const resources = Object.entries(input.resources)
      .filter(([, n]) => n > 0)
      .map(([rc, n]) => `${rc}:${n}`)
      .join(',');
    return this.call('GET', '/allocation_candidates', undefined, {
      resources,
      required: input.required?.length ? input.required.join(',') : undefined,
      member_of: input.member_of?.length ? `in:${input.member_of.join(',')}` : undefined,
      in_tree: input.in_tree,
      limit: input.limit,
    });
  }

  /** A consumer's allocations (empty when it has none). */
  getAllocations(consumer: string): Promise<ConsumerAllocations> {
    return this.call('GET', `/allocations/${consumer}`);
  }

  /**
   * Writes a consumer's allocations; `consumer_generation` null for a new consumer, `consumer_type`
   * `INSTANCE` unless given (`MIGRATION` for a move's source claim). A 409 means
   * a provider lacked capacity or a generation moved: the caller picks another candidate or retries.
   */
  async putAllocations(
    consumer: string,
    body: {
      allocations: AllocationMap;
      project_id: string;
      user_id: string;
      consumer_generation: number | null;
      consumer_type?: string;
    },
  ): Promise<void> {
    await this.call('PUT', `/allocations/${consumer}`, { consumer_type: 'INSTANCE', ...body });
  }

  /** Moves or writes several consumers' allocations at once (migration consumer and instance). */
  async postAllocations(
    body: Record<
      string,
      {
        allocations: AllocationMap;
        project_id: string;
        user_id: string;
        consumer_generation: number | null;
        consumer_type: string;
      }
    >,
  ): Promise<void> {
    await this.call('POST', '/allocations', body);
  }

  /** Deletes a consumer's allocations; a consumer without any is fine. */
  async deleteAllocations(consumer: string): Promise<void> {
    await this.call('DELETE', `/allocations/${consumer}`, undefined, undefined, [404]);
  }
}
