import { type EndpointSource, RestClient, type RestClientOptions } from './rest-client';

/** A port as Neutron shows it (the fields compute reads; the rest are kept). */
export type PortDocument = {
  id: string;
  network_id: string;
  mac_address: string;
  fixed_ips: { subnet_id: string; ip_address: string }[];
  device_id: string;
  device_owner: string;
  status: string;
  project_id?: string;
  'binding:host_id'?: string;
  'binding:vif_type'?: string;
  security_groups?: string[];
} & Record<string, unknown>;

/** A network as Neutron shows it. */
export type NetworkDocument = {
  id: string;
  name: string;
  project_id?: string;
  shared?: boolean;
  'router:external'?: boolean;
  subnets?: string[];
  status?: string;
} & Record<string, unknown>;

/** A subnet as Neutron shows it. */
export type SubnetDocument = {
  id: string;
  network_id: string;
  cidr: string;
  ip_version: number;
  gateway_ip?: string | null;
} & Record<string, unknown>;

/** A security group as Neutron shows it. */
export type SecurityGroupDocument = { id: string; name: string; project_id?: string } & Record<
  string,
  unknown
>;

type Query = Record<string, string | number | boolean | undefined>;

/**
 * The Neutron v2.0 calls other services make (Nova's network API): networks and subnets to
 * validate a request, ports created, bound to a host (`binding:host_id`) and deleted, security
 * groups looked up by name. Errors come back as RemoteServiceError with Neutron's status.
 */
export class NetworkClient {
  private readonly rest: RestClient;

  constructor(source: EndpointSource, options: RestClientOptions = {}) {
    this.rest = new RestClient('network', source, options);
  }

  /** One network; RemoteServiceError (404) when absent or not visible. */
  async getNetwork(id: string): Promise<NetworkDocument> {
    return (
      await this.rest.json<{ network: NetworkDocument }>({
        method: 'GET',
        path: `/v2.0/networks/${encodeURIComponent(id)}`,
      })
    ).network;
  }

  /** Networks matching the filters. */
  async listNetworks(query: Query = {}): Promise<NetworkDocument[]> {
    return (
      await this.rest.json<{ networks: NetworkDocument[] }>({ method: 'GET', path: '/v2.0/networks', query })
    ).networks;
  }

  /** Subnets matching the filters. */
  async listSubnets(query: Query = {}): Promise<SubnetDocument[]> {
    return (
      await this.rest.json<{ subnets: SubnetDocument[] }>({ method: 'GET', path: '/v2.0/subnets', query })
    ).subnets;
  }

  /** One port; RemoteServiceError (404) when absent. */
  async getPort(id: string): Promise<PortDocument> {
    return (
      await this.rest.json<{ port: PortDocument }>({
        method: 'GET',
        path: `/v2.0/ports/${encodeURIComponent(id)}`,
      })
    ).port;
  }

  /** Ports matching the filters (`device_id`, `network_id`...). */
  async listPorts(query: Query = {}): Promise<PortDocument[]> {
    return (await this.rest.json<{ ports: PortDocument[] }>({ method: 'GET', path: '/v2.0/ports', query }))
      .ports;
  }

  /** Creates a port (`network_id` and any of Neutron's port attributes). */
  async createPort(port: Record<string, unknown>): Promise<PortDocument> {
    return (
      await this.rest.json<{ port: PortDocument }>({ method: 'POST', path: '/v2.0/ports', json: { port } })
    ).port;
  }

  /** Updates a port's attributes. */
  async updatePort(id: string, port: Record<string, unknown>): Promise<PortDocument> {
    return (
      await this.rest.json<{ port: PortDocument }>({
        method: 'PUT',
        path: `/v2.0/ports/${encodeURIComponent(id)}`,
        json: { port },
      })
    ).port;
  }

  /** Binds a port to a host for an instance: device id and owner, `binding:host_id`. */
  bindPort(
    id: string,
    binding: { deviceId: string; deviceOwner: string; hostId: string },
  ): Promise<PortDocument> {
    return this.updatePort(id, {
      device_id: binding.deviceId,
      device_owner: binding.deviceOwner,
      'binding:host_id': binding.hostId,
    });
  }

  /** Clears a port's device and binding (a port the user brought, when its server goes). */
  unbindPort(id: string): Promise<PortDocument> {
    return this.updatePort(id, { device_id: '', device_owner: '', 'binding:host_id': '' });
  }

  /** Deletes a port; one already gone is fine. */
  async deletePort(id: string): Promise<void> {
    await this.rest.request({
      method: 'DELETE',
      path: `/v2.0/ports/${encodeURIComponent(id)}`,
      expect: [404],
    });
  }

  /** Security groups matching the filters (`name`, `project_id`). */
  async listSecurityGroups(query: Query = {}): Promise<SecurityGroupDocument[]> {
    return (
      await this.rest.json<{ security_groups: SecurityGroupDocument[] }>({
        method: 'GET',
        path: '/v2.0/security-groups',
        query,
      })
    ).security_groups;
  }
}
