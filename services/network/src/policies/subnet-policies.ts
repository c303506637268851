import { defineRules } from '@nimbus/policy';
import { neutronRule } from './neutron-rule';

/** Neutron's Zed default rules of `subnet` (names and check strings as upstream). */
export const subnetPolicies = defineRules([
  neutronRule(
    'create_subnet',
    'rule:admin_only or role:member and project_id:%(project_id)s or rule:network_owner',
    { ops: [['POST', '/subnets']], deprecated: 'rule:admin_or_network_owner', scope: ['project'] },
  ),
  neutronRule('create_subnet:segment_id', 'rule:admin_only', {
    ops: [['POST', '/subnets']],
    scope: ['project'],
  }),
  neutronRule('create_subnet:service_types', 'rule:admin_only', {
    ops: [['POST', '/subnets']],
    scope: ['project'],
  }),
  neutronRule('get_subnet', 'rule:admin_only or role:reader and project_id:%(project_id)s or rule:shared', {
    ops: [
      ['GET', '/subnets'],
      ['GET', '/subnets/{id}'],
    ],
    deprecated: 'rule:admin_or_owner or rule:shared',
    scope: ['project'],
  }),
  neutronRule('get_subnet:segment_id', 'rule:admin_only', {
    ops: [
      ['GET', '/subnets'],
      ['GET', '/subnets/{id}'],
    ],
    scope: ['project'],
  }),
  neutronRule(
    'update_subnet',
    'rule:admin_only or role:member and project_id:%(project_id)s or rule:network_owner',
    { ops: [['PUT', '/subnets/{id}']], deprecated: 'rule:admin_or_network_owner', scope: ['project'] },
  ),
  neutronRule('update_subnet:segment_id', 'rule:admin_only', {
    ops: [['PUT', '/subnets/{id}']],
    scope: ['project'],
  }),
  neutronRule('update_subnet:service_types', 'rule:admin_only', {
    ops: [['PUT', '/subnets/{id}']],
    scope: ['project'],
  }),
  neutronRule(
    'delete_subnet',
    'rule:admin_only or role:member and project_id:%(project_id)s or rule:network_owner',
    { ops: [['DELETE', '/subnets/{id}']], deprecated: 'rule:admin_or_network_owner', scope: ['project'] },
  ),
]);
