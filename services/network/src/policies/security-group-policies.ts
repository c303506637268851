import { defineRules } from '@nimbus/policy';
import { neutronRule } from './neutron-rule';

/** Neutron's Zed default rules of `security_group` (names and check strings as upstream). */
export const securityGroupPolicies = defineRules([
  neutronRule('admin_or_sg_owner', 'rule:context_is_admin or tenant_id:%(security_group:tenant_id)s'),
  neutronRule('admin_owner_or_sg_owner', 'rule:owner or rule:admin_or_sg_owner'),
  neutronRule('create_security_group', 'role:member and project_id:%(project_id)s', {
    ops: [['POST', '/security-groups']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('get_security_group', 'role:reader and project_id:%(project_id)s', {
    ops: [
      ['GET', '/security-groups'],
      ['GET', '/security-groups/{id}'],
    ],
    deprecated: 'rule:regular_user',
    scope: ['project'],
  }),
  neutronRule('update_security_group', 'role:member and project_id:%(project_id)s', {
    ops: [['PUT', '/security-groups/{id}']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('delete_security_group', 'role:member and project_id:%(project_id)s', {
    ops: [['DELETE', '/security-groups/{id}']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('create_security_group_rule', 'role:member and project_id:%(project_id)s', {
    ops: [['POST', '/security-group-rules']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('get_security_group_rule', 'role:reader and project_id:%(project_id)s or rule:sg_owner', {
    ops: [
      ['GET', '/security-group-rules'],
      ['GET', '/security-group-rules/{id}'],
    ],
    deprecated: 'rule:admin_owner_or_sg_owner',
    scope: ['project'],
  }),
  neutronRule('delete_security_group_rule', 'role:member and project_id:%(project_id)s', {
    ops: [['DELETE', '/security-group-rules/{id}']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
]);
