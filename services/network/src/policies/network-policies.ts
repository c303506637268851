import { defineRules } from '@nimbus/policy';
import { neutronRule } from './neutron-rule';

/** Neutron's Zed default rules of `network` (names and check strings as upstream). */
export const networkPolicies = defineRules([
  neutronRule('external', 'field:networks:router:external=True'),
  neutronRule('create_network', 'rule:admin_only or role:member and project_id:%(project_id)s', {
    ops: [['POST', '/networks']],
    deprecated: 'rule:regular_user',
    scope: ['project'],
  }),
  neutronRule('create_network:shared', 'rule:admin_only', {
    ops: [['POST', '/networks']],
    scope: ['project'],
  }),
  neutronRule('create_network:router:external', 'rule:admin_only', {
    ops: [['POST', '/networks']],
    scope: ['project'],
  }),
  neutronRule('create_network:is_default', 'rule:admin_only', {
    ops: [['POST', '/networks']],
    scope: ['project'],
  }),
  neutronRule(
    'create_network:port_security_enabled',
    'rule:admin_only or role:member and project_id:%(project_id)s',
    { ops: [['POST', '/networks']], deprecated: 'rule:regular_user', scope: ['project'] },
  ),
  neutronRule('create_network:segments', 'rule:admin_only', {
    ops: [['POST', '/networks']],
    scope: ['project'],
  }),
  neutronRule('create_network:provider:network_type', 'rule:admin_only', {
    ops: [['POST', '/networks']],
    scope: ['project'],
  }),
  neutronRule('create_network:provider:physical_network', 'rule:admin_only', {
    ops: [['POST', '/networks']],
    scope: ['project'],
  }),
  neutronRule('create_network:provider:segmentation_id', 'rule:admin_only', {
    ops: [['POST', '/networks']],
    scope: ['project'],
  }),
  neutronRule(
    'get_network',
    'rule:admin_only or role:reader and project_id:%(project_id)s or rule:shared or rule:external or rule:context_is_advsvc',
    {
      ops: [
        ['GET', '/networks'],
        ['GET', '/networks/{id}'],
      ],
      deprecated: 'rule:admin_or_owner or rule:shared or rule:external or rule:context_is_advsvc',
      scope: ['project'],
    },
  ),
  neutronRule('get_network:router:external', 'rule:admin_only or role:reader and project_id:%(project_id)s', {
    ops: [
      ['GET', '/networks'],
      ['GET', '/networks/{id}'],
    ],
    deprecated: 'rule:regular_user',
    scope: ['project'],
  }),
  neutronRule('get_network:segments', 'rule:admin_only', {
    ops: [
      ['GET', '/networks'],
      ['GET', '/networks/{id}'],
    ],
    scope: ['project'],
  }),
  neutronRule('get_network:provider:network_type', 'rule:admin_only', {
    ops: [
      ['GET', '/networks'],
      ['GET', '/networks/{id}'],
    ],
    scope: ['project'],
  }),
  neutronRule('get_network:provider:physical_network', 'rule:admin_only', {
    ops: [
      ['GET', '/networks'],
      ['GET', '/networks/{id}'],
    ],
    scope: ['project'],
  }),
  neutronRule('get_network:provider:segmentation_id', 'rule:admin_only', {
    ops: [
      ['GET', '/networks'],
      ['GET', '/networks/{id}'],
    ],
    scope: ['project'],
  }),
  neutronRule('update_network', 'rule:admin_only or role:member and project_id:%(project_id)s', {
    ops: [['PUT', '/networks/{id}']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('update_network:segments', 'rule:admin_only', {
    ops: [['PUT', '/networks/{id}']],
    scope: ['project'],
  }),
  neutronRule('update_network:shared', 'rule:admin_only', {
    ops: [['PUT', '/networks/{id}']],
    scope: ['project'],
  }),
  neutronRule('update_network:provider:network_type', 'rule:admin_only', {
    ops: [['PUT', '/networks/{id}']],
    scope: ['project'],
  }),
  neutronRule('update_network:provider:physical_network', 'rule:admin_only', {
    ops: [['PUT', '/networks/{id}']],
    scope: ['project'],
  }),
  neutronRule('update_network:provider:segmentation_id', 'rule:admin_only', {
    ops: [['PUT', '/networks/{id}']],
    scope: ['project'],
  }),
  neutronRule('update_network:router:external', 'rule:admin_only', {
    ops: [['PUT', '/networks/{id}']],
    scope: ['project'],
  }),
  neutronRule('update_network:is_default', 'rule:admin_only', {
    ops: [['PUT', '/networks/{id}']],
    scope: ['project'],
  }),
  neutronRule(
    'update_network:port_security_enabled',
    'rule:admin_only or role:member and project_id:%(project_id)s',
    { ops: [['PUT', '/networks/{id}']], deprecated: 'rule:admin_or_owner', scope: ['project'] },
  ),
  neutronRule('delete_network', 'rule:admin_only or role:member and project_id:%(project_id)s', {
    ops: [['DELETE', '/networks/{id}']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
]);
