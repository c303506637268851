import type { ExtensionDescriptor } from './network-services';

const ext = (
  alias: string,
  name: string,
  description: string,
  updated = '2022-10-05T00:00:00-00:00',
): ExtensionDescriptor => ({ alias, name, description, updated });

/** The Neutron extensions this service implements, as `GET /v2.0/extensions` lists them. */
export const implementedExtensions: readonly ExtensionDescriptor[] = [
  ext('binding', 'Port Binding', 'Expose port bindings of a virtual port to external application'),
  ext(
    'binding-extended',
    'Port Bindings Extended',
    'Expose port bindings of a virtual port to external application',
  ),
  ext('external-net', 'Neutron external network', 'Adds external network attribute to network resource.'),
  ext('provider', 'Provider Network', 'Expose mapping of virtual networks to physical networks'),
  ext(
    'multi-provider',
    'Multi Provider Network',
    'Expose mapping of virtual networks to multiple physical networks',
  ),
  ext('segment', 'Segment', 'Segments extension.'),
  ext(
    'standard-attr-segment',
    'Standard Attribute Segment Extension',
    'Add standard attributes to Segment resource',
  ),
  ext('net-mtu', 'Network MTU', 'Provides MTU attribute for a network resource.'),
  ext(
    'net-mtu-writable',
    'Network MTU (writable)',
    'Provides a writable MTU attribute for a network resource.',
  ),
  ext('port-security', 'Port Security', 'Provides port security'),
  ext('security-group', 'security-group', 'The security groups extension.'),
  ext(
    'stateful-security-group',
    'Stateful security group',
    'Indicates if the security group is stateful or not',
  ),
  ext(
    'standard-attr-description',
    'standard-attr-description',
    'Extension to add descriptions to standard attributes',
  ),
  ext(
    'standard-attr-revisions',
    'Resource revision numbers',
    'This extension will display the revision number of neutron resources.',
  ),
  ext(
    'standard-attr-timestamp',
    'Resource timestamps',
    'Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.',
  ),
  ext(
    'standard-attr-tag',
    'Tag support for resources with standard attribute: subnet, trunk, network_segment_range, router, network, policy, subnetpool, port, security_group, floatingip',
    'Enables to set tag on resources with standard attribute.',
  ),
  ext(
    'revision-if-match',
    'If-Match constraints based on revision_number',
    'Extension indicating that If-Match based on revision_number is supported.',
  ),
  ext('filter-validation', 'Filter parameters validation', 'Provides validation on filter parameters.'),
  ext(
    'empty-string-filtering',
    'Empty String Filtering Extension',
    'Allow filtering by attributes with empty string value',
  ),
  ext('sorting', 'Sorting support', 'Enabling sorting support by setting api_sorting to True'),
  ext('pagination', 'Pagination support', 'Enabling pagination support by setting api_pagination to True'),
  ext('allowed-address-pairs', 'Allowed Address Pairs', 'Provides allowed address pairs'),
  ext(
    'extra_dhcp_opt',
    'Neutron Extra DHCP options',
    'Extra options configuration for DHCP. For example PXE boot options to DHCP clients can be specified (e.g. tftp-server, server-ip-address, bootfile-name)',
  ),
  ext('l2_adjacency', 'L2 Adjacency', 'Display L2 Adjacency for Neutron Networks.'),
  ext(
    'subnet-service-types',
    'Subnet service types',
    'Provides ability to set the subnet service_types field',
  ),
  ext(
    'uplink-status-propagation',
    'Uplink status propagation extension',
    'Provides ability to propagate uplink status.',
  ),
  ext(
    'ip-substring-filtering',
    'IP address substring filtering',
    'Provides IP address substring filtering when listing ports',
  ),
  ext('port-resource-request', 'Port Resource Request', 'Expose resource request to Port'),
  ext(
    'router',
    'Neutron L3 Router',
    'Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway.',
  ),
  ext('extraroute', 'Neutron Extra Route', 'Extra routes configuration for L3 router'),
  ext(
    'ext-gw-mode',
    'Neutron L3 Configurable external gateway mode',
    'Extension of the router abstraction for specifying whether SNAT should occur on the external gateway',
  ),
  ext(
    'fip-port-details',
    'Floating IP Port Details Extension',
    'Add port_details attribute to Floating IP resource',
  ),
  ext('agent', 'agent', 'The agent management extension.', '2013-02-03T10:00:00-00:00'),
  ext('agent_sort_key', 'Agents Sort Key', 'Enabling the keyword sort_key for sorting in agents.'),
  ext('dhcp_agent_scheduler', 'DHCP Agent Scheduler', 'Schedule networks among dhcp agents'),
  ext('l3_agent_scheduler', 'L3 Agent Scheduler', 'Schedule routers among l3 agents'),
  ext('subnet_allocation', 'Subnet Allocation', 'Enables allocation of subnets from a subnet pool'),
  ext('address-scope', 'Address scope', 'Address scopes extension.'),
  ext(
    'default-subnetpools',
    'Default Subnetpools',
    'Provides ability to mark and use a subnetpool as the default.',
  ),
  ext(
    'service-type',
    'Neutron Service Type Management',
    'API for retrieving service providers for Neutron advanced services',
  ),
  ext(
    'network-ip-availability',
    'Network IP Availability',
    'Provides IP availability data for each network and subnet.',
  ),
  ext(
    'rbac-policies',
    'RBAC Policies',
    'Allows creation and modification of policies that control tenant access to resources.',
  ),
  ext('quotas', 'Quota management support', 'Expose functions for quotas management per project'),
  ext('quota_details', 'Quota details extension', 'Expose functions for quotas usage statistics per project'),
];
