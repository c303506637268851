import { type EndpointSource, RestClient, type RestClientOptions } from './rest-client';

interface LimitRow {
  resource_name: string;
  default_limit?: number;
  resource_limit?: number;
  project_id?: string | null;
}

/**
 * Unified limits as a service reads them from identity (oslo.limit's model, flat): a project's
 * limit for a resource is its project limit, else the service's registered default, else 0 (no
 * registered limit means no use at all).
 */
export class LimitsClient {
  private readonly rest: RestClient;

  constructor(source: EndpointSource, options: RestClientOptions = {}) {
    this.rest = new RestClient('identity', source, options);
  }

  /** The limit of each resource for a project of a service (optionally in one region). */
  async limitsFor(
    projectId: string,
    serviceId: string,
    resources: readonly string[],
    regionId?: string,
  ): Promise<Record<string, number>> {
    const query = { service_id: serviceId, ...(regionId ? { region_id: regionId } : {}) };
    const [registered, project] = await Promise.all([
      this.rest.json<{ registered_limits: LimitRow[] }>({ method: 'GET', path: '/registered_limits', query }),
      this.rest.json<{ limits: LimitRow[] }>({
        method: 'GET',
        path: '/limits',
        query: { ...query, project_id: projectId },
      }),
    ]);
    const out: Record<string, number> = {};
    for (const name of resources) {
      const own = project.limits.find((l) => l.resource_name === name && l.project_id === projectId);
      const dflt = registered.registered_limits.find((l) => l.resource_name === name);
      out[name] = own?.resource_limit ?? dflt?.default_limit ?? 0;
    }
    return out;
  }
}
