import { defineRules } from '@nimbus/policy';
import { neutronRule } from './neutron-rule';

const owner = 'rule:admin_only or role:member and project_id:%(project_id)s';
const notWildcard =
  'rule:admin_only or (not field:rbac_policy:target_tenant=* and not field:rbac_policy:target_project=*)';

/** Neutron's Zed default rules of `rbac_policy` (names and check strings as upstream). */
export const rbacPolicies = defineRules([
  neutronRule('create_rbac_policy', owner, {
    ops: [['POST', '/rbac-policies']],
    deprecated: 'rule:regular_user',
    scope: ['project'],
  }),
  neutronRule('create_rbac_policy:target_tenant', notWildcard, {
    ops: [['POST', '/rbac-policies']],
    deprecated: 'rule:restrict_wildcard',
    scope: ['project'],
  }),
  neutronRule('update_rbac_policy', owner, {
    ops: [['PUT', '/rbac-policies/{id}']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('update_rbac_policy:target_tenant', notWildcard, {
    ops: [['PUT', '/rbac-policies/{id}']],
    deprecated: 'rule:restrict_wildcard and rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('get_rbac_policy', 'rule:admin_only or role:reader and project_id:%(project_id)s', {
    ops: [
      ['GET', '/rbac-policies'],
      ['GET', '/rbac-policies/{id}'],
    ],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('delete_rbac_policy', owner, {
    ops: [['DELETE', '/rbac-policies/{id}']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('restrict_wildcard', '(not field:rbac_policy:target_tenant=*) or rule:admin_only'),
]);
