import { type EndpointSource, RestClient, type RestClientOptions } from './rest-client';

/** One event of `os-server-external-events` (Neutron's `network-vif-plugged`, Cinder's `volume-extended`). */
export interface ServerExternalEvent {
  name: string;
  server_uuid: string;
  tag?: string;
  status?: 'completed' | 'failed' | 'in-progress';
}

/** The answer per event: `code` 200 when delivered, 404 when the server is unknown, 422 when not on a host. */
export interface ServerExternalEventResult extends ServerExternalEvent {
  code: number;
}

/** A server as Nova shows it (fields other services read). */
export type ServerDocument = { id: string; status: string; name: string } & Record<string, unknown>;

/**
 * Nova's catalog entry is usually versioned (`…/v2.1`, as ours, or `…/v2`), sometimes the bare
 * root: paths below are relative to the v2.1 API, so a bare root gets `/v2.1` appended.
 */
export function withComputeVersion(source: EndpointSource): EndpointSource {
  const versioned = async () => {
    const base = (await source.endpoint()).replace(/\/+$/, '');
    return /\/v2(\.1)?(\/[0-9a-f-]+)?$/.test(base) ? base : `${base}/v2.1`;
  };
  return {
    endpoint: versioned,
    token: () => source.token(),
    serviceToken: source.serviceToken && (() => source.serviceToken!()),
    invalidate: source.invalidate && (() => source.invalidate!()),
  };
}

/**
 * The compute (Nova v2.1) calls other services make: external events (network's VIF plugging,
 * block storage's volume extension) and reading a server. Speaks microversion 2.1 unless a call
 * asks for another.
 */
export class ComputeClient {
  private readonly rest: RestClient;

  constructor(source: EndpointSource, options: RestClientOptions = {}) {
    this.rest = new RestClient('compute', withComputeVersion(source), options);
  }

  /**
   * Sends events; the answer lists each with its per-event code. `microversion`: the one the
   * events need (`volume-extended` is 2.51).
   */
  async externalEvents(
    events: ServerExternalEvent[],
    microversion = '2.1',
  ): Promise<ServerExternalEventResult[]> {
    const res = await this.rest.json<{ events: ServerExternalEventResult[] }>({
      method: 'POST',
      path: '/os-server-external-events',
      headers: { 'openstack-api-version': `compute ${microversion}` },
      json: { events },
      expect: [207, 404, 422],
    });
    return res.events;
  }

  /** One server; RemoteServiceError (404) when absent. */
  async getServer(id: string, microversion = '2.1'): Promise<ServerDocument> {
    const res = await this.rest.json<{ server: ServerDocument }>({
      method: 'GET',
      path: `/servers/${encodeURIComponent(id)}`,
      headers: { 'openstack-api-version': `compute ${microversion}` },
    });
    return res.server;
  }
}
