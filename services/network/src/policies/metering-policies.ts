import { defineRules } from '@nimbus/policy';
import { neutronRule } from './neutron-rule';

const admin = (name: string, method: string, path: string, extra?: [string, string]) =>
  neutronRule(name, 'rule:admin_only', {
    ops: extra ? [[method, path], extra] : [[method, path]],
    deprecated: 'rule:admin_only',
    scope: ['project'],
  });

/** Neutron's Zed default rules of metering labels and their rules (admin only, as upstream). */
export const meteringPolicies = defineRules([
  admin('create_metering_label', 'POST', '/metering/metering-labels'),
  admin('get_metering_label', 'GET', '/metering/metering-labels', ['GET', '/metering/metering-labels/{id}']),
  admin('delete_metering_label', 'DELETE', '/metering/metering-labels/{id}'),
  admin('create_metering_label_rule', 'POST', '/metering/metering-label-rules'),
  admin('get_metering_label_rule', 'GET', '/metering/metering-label-rules', [
    'GET',
    '/metering/metering-label-rules/{id}',
  ]),
  admin('delete_metering_label_rule', 'DELETE', '/metering/metering-label-rules/{id}'),
]);
