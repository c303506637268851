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

/** A security group rule as Neutron shows it. */
export type SecurityGroupRuleDocument = {
  id: string;
  security_group_id: string;
  direction: string;
  ethertype?: string;
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
} & Record<string, unknown>;

/** A floating IP as Neutron shows it (with the fip-port-details extension's `port_details`). */
export type FloatingIpDocument = {
  id: string;
  floating_ip_address: string;
  floating_network_id: string;
  fixed_ip_address: string | null;
  port_id: string | null;
  project_id?: string;
  port_details?: { device_id: string } & Record<string, unknown>;
} & Record<string, unknown>;

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

  /** One security group with its rules; RemoteServiceError (404) when absent or not visible. */
  async getSecurityGroup(id: string): Promise<SecurityGroupDocument> {
    return (
      await this.rest.json<{ security_group: SecurityGroupDocument }>({
        method: 'GET',
        path: `/v2.0/security-groups/${encodeURIComponent(id)}`,
      })
    ).security_group;
  }

  /** Creates a security group (`name`, `description`...). */
  async createSecurityGroup(group: Record<string, unknown>): Promise<SecurityGroupDocument> {
    return (
      await this.rest.json<{ security_group: SecurityGroupDocument }>({
        method: 'POST',
        path: '/v2.0/security-groups',
        json: { security_group: group },
      })
    ).security_group;
  }

  /** Updates a security group's attributes. */
  async updateSecurityGroup(id: string, group: Record<string, unknown>): Promise<SecurityGroupDocument> {
    return (
      await this.rest.json<{ security_group: SecurityGroupDocument }>({
        method: 'PUT',
        path: `/v2.0/security-groups/${encodeURIComponent(id)}`,
        json: { security_group: group },
      })
    ).security_group;
  }

  /** Deletes a security group; RemoteServiceError 404 when absent, 409 while in use or the default. */
  async deleteSecurityGroup(id: string): Promise<void> {
    await this.rest.request({ method: 'DELETE', path: `/v2.0/security-groups/${encodeURIComponent(id)}` });
  }

  /** One security group rule; RemoteServiceError (404) when absent. */
  async getSecurityGroupRule(id: string): Promise<SecurityGroupRuleDocument> {
    return (
      await this.rest.json<{ security_group_rule: SecurityGroupRuleDocument }>({
        method: 'GET',
        path: `/v2.0/security-group-rules/${encodeURIComponent(id)}`,
      })
    ).security_group_rule;
  }

  /** Creates a security group rule; RemoteServiceError 409 for a duplicate. */
  async createSecurityGroupRule(rule: Record<string, unknown>): Promise<SecurityGroupRuleDocument> {
    return (
      await this.rest.json<{ security_group_rule: SecurityGroupRuleDocument }>({
        method: 'POST',
        path: '/v2.0/security-group-rules',
        json: { security_group_rule: rule },
      })
    ).security_group_rule;
  }

  /** Deletes a security group rule; RemoteServiceError (404) when absent. */
  async deleteSecurityGroupRule(id: string): Promise<void> {
    await this.rest.request({
      method: 'DELETE',
      path: `/v2.0/security-group-rules/${encodeURIComponent(id)}`,
    });
  }

  /** Floating IPs matching the filters (`floating_ip_address`, `project_id`, `port_id`). */
  async listFloatingIps(query: Query = {}): Promise<FloatingIpDocument[]> {
    return (
      await this.rest.json<{ floatingips: FloatingIpDocument[] }>({
        method: 'GET',
        path: '/v2.0/floatingips',
        query,
      })
    ).floatingips;
  }

  /** One floating IP; RemoteServiceError (404) when absent or not visible. */
  async getFloatingIp(id: string): Promise<FloatingIpDocument> {
    return (
      await this.rest.json<{ floatingip: FloatingIpDocument }>({
        method: 'GET',
        path: `/v2.0/floatingips/${encodeURIComponent(id)}`,
      })
    ).floatingip;
  }

  /** Allocates a floating IP (`floating_network_id` and any of Neutron's attributes). */
  async createFloatingIp(floatingip: Record<string, unknown>): Promise<FloatingIpDocument> {
    return (
      await this.rest.json<{ floatingip: FloatingIpDocument }>({
        method: 'POST',
        path: '/v2.0/floatingips',
        json: { floatingip },
      })
    ).floatingip;
  }

  /** Updates a floating IP: `port_id` (and `fixed_ip_address`) associates it, `port_id: null` frees it. */
  async updateFloatingIp(id: string, floatingip: Record<string, unknown>): Promise<FloatingIpDocument> {
    return (
      await this.rest.json<{ floatingip: FloatingIpDocument }>({
        method: 'PUT',
        path: `/v2.0/floatingips/${encodeURIComponent(id)}`,
        json: { floatingip },
      })
    ).floatingip;
  }

  /** Releases a floating IP; RemoteServiceError (404) when absent. */
  async deleteFloatingIp(id: string): Promise<void> {
    await this.rest.request({ method: 'DELETE', path: `/v2.0/floatingips/${encodeURIComponent(id)}` });
  }
}
