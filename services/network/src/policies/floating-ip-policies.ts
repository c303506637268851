import { defineRules } from '@nimbus/policy';
import { neutronRule } from './neutron-rule';

/** Neutron's Zed default rules of `floatingip` (names and check strings as upstream). */
export const floatingIpPolicies = defineRules([
  neutronRule('create_floatingip', 'rule:admin_only or role:member and project_id:%(project_id)s', {
    ops: [['POST', '/floatingips']],
    deprecated: 'rule:regular_user',
    scope: ['project'],
  }),
  neutronRule('create_floatingip:floating_ip_address', 'rule:admin_only', {
    ops: [['POST', '/floatingips']],
    scope: ['project'],
  }),
  neutronRule('get_floatingip', 'rule:admin_only or role:reader and project_id:%(project_id)s', {
    ops: [
      ['GET', '/floatingips'],
      ['GET', '/floatingips/{id}'],
    ],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('update_floatingip', 'rule:admin_only or role:member and project_id:%(project_id)s', {
    ops: [['PUT', '/floatingips/{id}']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('delete_floatingip', 'rule:admin_only or role:member and project_id:%(project_id)s', {
    ops: [['DELETE', '/floatingips/{id}']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
]);
