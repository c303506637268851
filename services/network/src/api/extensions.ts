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
  ext('tag', 'Tag support', 'Enables to set tag on resources.'),
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
  ext('dvr', 'Distributed Virtual Router', 'Enables configuration of Distributed Virtual Routers.'),
  ext('l3-ha', 'HA Router extension', 'Adds HA capability to routers.'),
  ext('metering', 'Neutron Metering', 'Neutron Metering extension.'),
  ext('qos', 'Quality of Service', 'The Quality of Service extension.'),
  ext(
    'qos-bw-limit-direction',
    'Direction for QoS bandwidth limit rule',
    'Allow to configure QoS bandwidth limit rule with specific direction: ingress or egress',
  ),
  ext(
    'qos-bw-minimum-ingress',
    'Ingress direction for QoS minimum bandwidth rule',
    'Allow to configure QoS minumum bandwidth rule with ingress direction.',
  ),
  ext('qos-default', 'QoS default policy', 'Expose the QoS default policy per project'),
  ext(
    'qos-rule-type-details',
    'Details of QoS rule types',
    'Expose details about QoS rule types supported by loaded backend drivers',
  ),
  ext(
    'qos-rules-alias',
    'QoS Rules Alias API',
    'API to enable GET, PUT and DELETE operations on QoS policy rules without specifying policy ID',
  ),
  ext(
    'qos-port-network-policy',
    'QoS port network policy ID',
    'Adds a the QoS network ID to the port definition',
  ),
  ext('qos-pps-minimum', 'QoS minimum packet rate rule', 'Adds support for minimum packet rate rule'),
  ext(
    'qos-pps-minimum-rule-alias',
    'QoS minimum packet rate rule alias',
    'API to enable GET, PUT and DELETE operations on QoS minimum packet rate rule without specifying policy ID',
  ),
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
  ext('address-group', 'Address group', 'Support address group'),
  ext('trunk', 'Trunk Extension', 'Provides support for trunk ports'),
  ext('project-id', 'project_id field enabled', 'Extension that indicates that project_id field is enabled.'),
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
