import { defineRules } from '@nimbus/policy';
import { neutronRule } from './neutron-rule';

const owner = 'rule:admin_only or role:member and project_id:%(project_id)s';
const reader = 'rule:admin_only or role:reader and project_id:%(project_id)s';
const ops = (method: string, path: string) => ({ ops: [[method, path]] as [string, string][] });

/** Neutron's Zed default rules of trunks (names and check strings as upstream). */
export const trunkPolicies = defineRules([
  neutronRule('create_trunk', owner, {
    ...ops('POST', '/trunks'),
    deprecated: 'rule:regular_user',
    scope: ['project'],
  }),
  neutronRule('get_trunk', reader, {
    ops: [
      ['GET', '/trunks'],
      ['GET', '/trunks/{id}'],
    ],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('update_trunk', owner, {
    ...ops('PUT', '/trunks/{id}'),
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('delete_trunk', owner, {
    ...ops('DELETE', '/trunks/{id}'),
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('get_subports', reader, {
    ...ops('GET', '/trunks/{id}/get_subports'),
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('add_subports', owner, {
    ...ops('PUT', '/trunks/{id}/add_subports'),
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('remove_subports', owner, {
    ...ops('PUT', '/trunks/{id}/remove_subports'),
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
]);
