import { defineRules } from '@nimbus/policy';
import { neutronRule } from './neutron-rule';

/** Neutron's Zed default rules of `port` (names and check strings as upstream). */
export const portPolicies = defineRules([
  neutronRule('network_device', 'field:port:device_owner=~^network:'),
  neutronRule('admin_or_data_plane_int', 'rule:context_is_admin or role:data_plane_integrator'),
  neutronRule('create_port', 'rule:admin_only or role:member and project_id:%(project_id)s', {
    ops: [['POST', '/ports']],
    deprecated: 'rule:regular_user',
    scope: ['project'],
  }),
  neutronRule(
    'create_port:device_owner',
    'not rule:network_device or rule:admin_only or rule:context_is_advsvc or rule:network_owner',
    {
      ops: [['POST', '/ports']],
      deprecated: 'not rule:network_device or rule:context_is_advsvc or rule:admin_or_network_owner',
      scope: ['project'],
    },
  ),
  neutronRule('create_port:mac_address', 'rule:context_is_advsvc or rule:network_owner or rule:admin_only', {
    ops: [['POST', '/ports']],
    deprecated: 'rule:context_is_advsvc or rule:admin_or_network_owner',
    scope: ['project'],
  }),
  neutronRule(
    'create_port:fixed_ips',
    'rule:context_is_advsvc or rule:network_owner or rule:admin_only or rule:shared',
    {
      ops: [['POST', '/ports']],
      deprecated: 'rule:context_is_advsvc or rule:admin_or_network_owner or rule:shared',
      scope: ['project'],
    },
  ),
  neutronRule(
    'create_port:fixed_ips:ip_address',
    'rule:context_is_advsvc or rule:network_owner or rule:admin_only',
    {
      ops: [['POST', '/ports']],
      deprecated: 'rule:context_is_advsvc or rule:admin_or_network_owner',
      scope: ['project'],
    },
  ),
  neutronRule(
    'create_port:fixed_ips:subnet_id',
    'rule:context_is_advsvc or rule:network_owner or rule:admin_only or rule:shared',
    {
      ops: [['POST', '/ports']],
      deprecated: 'rule:context_is_advsvc or rule:admin_or_network_owner or rule:shared',
      scope: ['project'],
    },
  ),
  neutronRule(
    'create_port:port_security_enabled',
    'rule:context_is_advsvc or rule:network_owner or rule:admin_only',
    {
      ops: [['POST', '/ports']],
      deprecated: 'rule:context_is_advsvc or rule:admin_or_network_owner',
      scope: ['project'],
    },
  ),
  neutronRule('create_port:binding:host_id', 'rule:admin_only', {
    ops: [['POST', '/ports']],
    scope: ['project'],
  }),
  neutronRule('create_port:binding:profile', 'rule:admin_only', {
    ops: [['POST', '/ports']],
    scope: ['project'],
  }),
  neutronRule(
    'create_port:binding:vnic_type',
    'rule:admin_only or role:member and project_id:%(project_id)s',
    { ops: [['POST', '/ports']], deprecated: 'rule:regular_user', scope: ['project'] },
  ),
  neutronRule('create_port:allowed_address_pairs', 'rule:admin_only or rule:network_owner', {
    ops: [['POST', '/ports']],
    deprecated: 'rule:admin_or_network_owner',
    scope: ['project'],
  }),
  neutronRule('create_port:allowed_address_pairs:mac_address', 'rule:admin_only or rule:network_owner', {
    ops: [['POST', '/ports']],
    deprecated: 'rule:admin_or_network_owner',
    scope: ['project'],
  }),
  neutronRule('create_port:allowed_address_pairs:ip_address', 'rule:admin_only or rule:network_owner', {
    ops: [['POST', '/ports']],
    deprecated: 'rule:admin_or_network_owner',
    scope: ['project'],
  }),
  neutronRule(
    'get_port',
    'rule:admin_only or rule:context_is_advsvc or role:reader and project_id:%(project_id)s',
    {
      ops: [
        ['GET', '/ports'],
        ['GET', '/ports/{id}'],
      ],
      deprecated: 'rule:context_is_advsvc or rule:admin_owner_or_network_owner',
      scope: ['project'],
    },
  ),
  neutronRule('get_port:binding:vif_type', 'rule:admin_only', {
    ops: [
      ['GET', '/ports'],
      ['GET', '/ports/{id}'],
    ],
    scope: ['project'],
  }),
  neutronRule('get_port:binding:vif_details', 'rule:admin_only', {
    ops: [
      ['GET', '/ports'],
      ['GET', '/ports/{id}'],
    ],
    scope: ['project'],
  }),
  neutronRule('get_port:binding:host_id', 'rule:admin_only', {
    ops: [
      ['GET', '/ports'],
      ['GET', '/ports/{id}'],
    ],
    scope: ['project'],
  }),
  neutronRule('get_port:binding:profile', 'rule:admin_only', {
    ops: [
      ['GET', '/ports'],
      ['GET', '/ports/{id}'],
    ],
    scope: ['project'],
  }),
  neutronRule('get_port:resource_request', 'rule:admin_only', {
    ops: [
      ['GET', '/ports'],
      ['GET', '/ports/{id}'],
    ],
    scope: ['project'],
  }),
  neutronRule(
    'update_port',
    'rule:admin_only or role:member and project_id:%(project_id)s or rule:context_is_advsvc',
    {
      ops: [['PUT', '/ports/{id}']],
      deprecated: 'rule:admin_or_owner or rule:context_is_advsvc',
      scope: ['project'],
    },
  ),
  neutronRule(
    'update_port:device_owner',
    'not rule:network_device or rule:context_is_advsvc or rule:network_owner or rule:admin_only',
    {
      ops: [['PUT', '/ports/{id}']],
      deprecated: 'not rule:network_device or rule:context_is_advsvc or rule:admin_or_network_owner',
      scope: ['project'],
    },
  ),
  neutronRule('update_port:mac_address', 'rule:admin_only or rule:context_is_advsvc', {
    ops: [['PUT', '/ports/{id}']],
    scope: ['project'],
  }),
  neutronRule('update_port:fixed_ips', 'rule:context_is_advsvc or rule:network_owner or rule:admin_only', {
    ops: [['PUT', '/ports/{id}']],
    deprecated: 'rule:context_is_advsvc or rule:admin_or_network_owner',
    scope: ['project'],
  }),
  neutronRule(
    'update_port:fixed_ips:ip_address',
    'rule:context_is_advsvc or rule:network_owner or rule:admin_only',
    {
      ops: [['PUT', '/ports/{id}']],
      deprecated: 'rule:context_is_advsvc or rule:admin_or_network_owner',
      scope: ['project'],
    },
  ),
  neutronRule(
    'update_port:fixed_ips:subnet_id',
    'rule:context_is_advsvc or rule:network_owner or rule:admin_only or rule:shared',
    {
      ops: [['PUT', '/ports/{id}']],
      deprecated: 'rule:context_is_advsvc or rule:admin_or_network_owner or rule:shared',
      scope: ['project'],
    },
  ),
  neutronRule(
    'update_port:port_security_enabled',
    'rule:context_is_advsvc or rule:network_owner or rule:admin_only',
    {
      ops: [['PUT', '/ports/{id}']],
      deprecated: 'rule:context_is_advsvc or rule:admin_or_network_owner',
      scope: ['project'],
    },
  ),
  neutronRule('update_port:binding:host_id', 'rule:admin_only', {
    ops: [['PUT', '/ports/{id}']],
    scope: ['project'],
  }),
  neutronRule('update_port:binding:profile', 'rule:admin_only', {
    ops: [['PUT', '/ports/{id}']],
    scope: ['project'],
  }),
  neutronRule(
    'update_port:binding:vnic_type',
    'rule:admin_only or role:member and project_id:%(project_id)s or rule:context_is_advsvc',
    {
      ops: [['PUT', '/ports/{id}']],
      deprecated: 'rule:admin_or_owner or rule:context_is_advsvc',
      scope: ['project'],
    },
  ),
  neutronRule('update_port:allowed_address_pairs', 'rule:admin_only or rule:network_owner', {
    ops: [['PUT', '/ports/{id}']],
    deprecated: 'rule:admin_or_network_owner',
    scope: ['project'],
  }),
  neutronRule('update_port:allowed_address_pairs:mac_address', 'rule:admin_only or rule:network_owner', {
    ops: [['PUT', '/ports/{id}']],
    deprecated: 'rule:admin_or_network_owner',
    scope: ['project'],
  }),
  neutronRule('update_port:allowed_address_pairs:ip_address', 'rule:admin_only or rule:network_owner', {
    ops: [['PUT', '/ports/{id}']],
    deprecated: 'rule:admin_or_network_owner',
    scope: ['project'],
  }),
  neutronRule('update_port:data_plane_status', 'rule:admin_only or role:data_plane_integrator', {
    ops: [['PUT', '/ports/{id}']],
    deprecated: 'rule:admin_or_data_plane_int',
    scope: ['project'],
  }),
  neutronRule(
    'delete_port',
    'rule:admin_only or rule:context_is_advsvc or role:member and project_id:%(project_id)s',
    {
      ops: [['DELETE', '/ports/{id}']],
      deprecated: 'rule:context_is_advsvc or rule:admin_owner_or_network_owner',
      scope: ['project'],
    },
  ),
  neutronRule('get_port_binding', 'rule:admin_only', {
    ops: [
      ['GET', '/ports/{port_id}/bindings/'],
      ['GET', '/ports/{port_id}/bindings/{host}'],
    ],
    scope: ['project'],
  }),
  neutronRule('create_port_binding', 'rule:admin_only', {
    ops: [['POST', '/ports/{port_id}/bindings/']],
    scope: ['project'],
  }),
  neutronRule('activate', 'rule:admin_only', {
    ops: [['PUT', '/ports/{port_id}/bindings/{host}/activate']],
    scope: ['project'],
  }),
  neutronRule('delete_port_binding', 'rule:admin_only', {
    ops: [['DELETE', '/ports/{port_id}/bindings/{host}']],
    scope: ['project'],
  }),
]);
