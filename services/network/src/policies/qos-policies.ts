import { defineRules } from '@nimbus/policy';
import { neutronRule } from './neutron-rule';

const reader = '(rule:admin_only or role:reader and project_id:%(project_id)s) or rule:shared_qos_policy';
const admin = 'rule:admin_only';
const RULE_KINDS = ['bandwidth_limit', 'dscp_marking', 'minimum_bandwidth', 'minimum_packet_rate'];

const ruleRules = RULE_KINDS.flatMap((kind) => {
  const path = `/qos/policies/{policy_id}/${kind}_rules`;
  const alias = `/qos/alias_${kind}_rules/{rule_id}`;
  return [
    neutronRule(`get_policy_${kind}_rule`, reader, {
      ops: [
        ['GET', path],
        ['GET', `${path}/{rule_id}`],
      ],
      deprecated: 'rule:regular_user',
      scope: ['project'],
    }),
    neutronRule(`create_policy_${kind}_rule`, admin, { ops: [['POST', path]], scope: ['project'] }),
    neutronRule(`update_policy_${kind}_rule`, admin, {
      ops: [['PUT', `${path}/{rule_id}`]],
      scope: ['project'],
    }),
    neutronRule(`delete_policy_${kind}_rule`, admin, {
      ops: [['DELETE', `${path}/{rule_id}`]],
      scope: ['project'],
    }),
    neutronRule(`get_alias_${kind}_rule`, `rule:get_policy_${kind}_rule`, {
      ops: [['GET', alias]],
      scope: ['project'],
    }),
    neutronRule(`update_alias_${kind}_rule`, `rule:update_policy_${kind}_rule`, {
      ops: [['PUT', alias]],
      scope: ['project'],
    }),
    neutronRule(`delete_alias_${kind}_rule`, `rule:delete_policy_${kind}_rule`, {
      ops: [['DELETE', alias]],
      scope: ['project'],
    }),
  ];
});

/** Neutron's Zed default rules of QoS policies, their rules and rule types. */
export const qosPolicies = defineRules([
  neutronRule('shared_qos_policy', 'field:policies:shared=True'),
  neutronRule('get_policy', reader, {
    ops: [
      ['GET', '/qos/policies'],
      ['GET', '/qos/policies/{id}'],
    ],
    deprecated: 'rule:regular_user',
    scope: ['project'],
  }),
  neutronRule('create_policy', admin, { ops: [['POST', '/qos/policies']], scope: ['project'] }),
  neutronRule('update_policy', admin, { ops: [['PUT', '/qos/policies/{id}']], scope: ['project'] }),
  neutronRule('delete_policy', admin, { ops: [['DELETE', '/qos/policies/{id}']], scope: ['project'] }),
  neutronRule('get_rule_type', 'rule:regular_user', {
    ops: [
      ['GET', '/qos/rule-types'],
      ['GET', '/qos/rule-types/{rule_type}'],
    ],
    scope: ['project'],
  }),
  ...ruleRules,
]);
