import { defineRules } from '@nimbus/policy';
import { neutronRule } from './neutron-rule';

/** Neutron's Zed default rules of `quotas` (names and check strings as upstream). */
export const quotaPolicies = defineRules([
  neutronRule('get_quota', 'rule:admin_only', {
    ops: [
      ['GET', '/quota'],
      ['GET', '/quota/{id}'],
    ],
    scope: ['project'],
  }),
  neutronRule('update_quota', 'rule:admin_only', { ops: [['PUT', '/quota/{id}']], scope: ['project'] }),
  neutronRule('delete_quota', 'rule:admin_only', { ops: [['DELETE', '/quota/{id}']], scope: ['project'] }),
]);
