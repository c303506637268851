import { defineRules } from '@nimbus/policy';
import { neutronRule } from './neutron-rule';

/** Neutron's Zed default rules of `segments` (names and check strings as upstream). */
export const segmentPolicies = defineRules([
  neutronRule('create_segment', 'rule:admin_only', { ops: [['POST', '/segments']], scope: ['project'] }),
  neutronRule('get_segment', 'rule:admin_only', {
    ops: [
      ['GET', '/segments'],
      ['GET', '/segments/{id}'],
    ],
    scope: ['project'],
  }),
  neutronRule('update_segment', 'rule:admin_only', { ops: [['PUT', '/segments/{id}']], scope: ['project'] }),
  neutronRule('delete_segment', 'rule:admin_only', {
    ops: [['DELETE', '/segments/{id}']],
    scope: ['project'],
  }),
]);
