import { defineRules } from '@nimbus/policy';
import { neutronRule } from './neutron-rule';

const owner = 'rule:admin_only or role:member and project_id:%(project_id)s';

/** Neutron's Zed default rules of address groups (names and check strings as upstream). */
export const addressGroupPolicies = defineRules([
  neutronRule('shared_address_groups', 'field:address_groups:shared=True'),
  neutronRule(
    'get_address_group',
    'rule:admin_only or role:reader and project_id:%(project_id)s or rule:shared_address_groups',
    {
      ops: [
        ['GET', '/address-groups'],
        ['GET', '/address-groups/{id}'],
      ],
      deprecated: 'rule:admin_or_owner or rule:shared_address_groups',
      scope: ['project'],
    },
  ),
  neutronRule('create_address_group', owner, {
    ops: [['POST', '/address-groups']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('update_address_group', owner, {
    ops: [['PUT', '/address-groups/{id}']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('add_addresses', owner, {
    ops: [['PUT', '/address-groups/{id}/add_addresses']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('remove_addresses', owner, {
    ops: [['PUT', '/address-groups/{id}/remove_addresses']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('delete_address_group', owner, {
    ops: [['DELETE', '/address-groups/{id}']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
]);
