import { defineRules } from '@nimbus/policy';
import { neutronRule } from './neutron-rule';

const owner = 'rule:admin_only or role:member and project_id:%(project_id)s';
const reader = 'rule:admin_only or role:reader and project_id:%(project_id)s';
const one = (method: string, path: string) => ({
  ops: [[method, path]] as [string, string][],
  scope: ['project'] as const,
});
const both = (method: string) => ({
  ops: [
    [method, '/subnetpools'],
    [method, '/subnetpools/{id}'],
  ] as [string, string][],
  scope: ['project'] as const,
});

/** Neutron's Zed default rules of `subnetpool` and `address_scope` (names and check strings as upstream). */
export const subnetPoolPolicies = defineRules([
  neutronRule('shared_subnetpools', 'field:subnetpools:shared=True'),
  neutronRule('shared_address_scopes', 'field:address_scopes:shared=True'),
  neutronRule('create_subnetpool', owner, {
    ...one('POST', '/subnetpools'),
    deprecated: 'rule:regular_user',
  }),
  neutronRule('create_subnetpool:shared', 'rule:admin_only', one('POST', '/subnetpools')),
  neutronRule('create_subnetpool:is_default', 'rule:admin_only', one('POST', '/subnetpools')),
  neutronRule('get_subnetpool', `${reader} or rule:shared_subnetpools`, {
    ...both('GET'),
    deprecated: 'rule:admin_or_owner or rule:shared_subnetpools',
  }),
  neutronRule('update_subnetpool', owner, {
    ...one('PUT', '/subnetpools/{id}'),
    deprecated: 'rule:admin_or_owner',
  }),
  neutronRule('update_subnetpool:is_default', 'rule:admin_only', one('PUT', '/subnetpools/{id}')),
  neutronRule('delete_subnetpool', owner, {
    ...one('DELETE', '/subnetpools/{id}'),
    deprecated: 'rule:admin_or_owner',
  }),
  neutronRule('create_address_scope', owner, {
    ...one('POST', '/address-scopes'),
    deprecated: 'rule:regular_user',
  }),
  neutronRule('create_address_scope:shared', 'rule:admin_only', one('POST', '/address-scopes')),
  neutronRule('get_address_scope', `${reader} or rule:shared_address_scopes`, {
    ops: [
      ['GET', '/address-scopes'],
      ['GET', '/address-scopes/{id}'],
    ],
    scope: ['project'],
    deprecated: 'rule:admin_or_owner or rule:shared_address_scopes',
  }),
  neutronRule('update_address_scope', owner, {
    ...one('PUT', '/address-scopes/{id}'),
    deprecated: 'rule:admin_or_owner',
  }),
  neutronRule('update_address_scope:shared', 'rule:admin_only', one('PUT', '/address-scopes/{id}')),
  neutronRule('delete_address_scope', owner, {
    ...one('DELETE', '/address-scopes/{id}'),
    deprecated: 'rule:admin_or_owner',
  }),
]);
