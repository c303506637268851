import type { Resource } from '../db/resource-store';
import type { CallContext } from './call-context';
import type { NetworkServices } from './network-services';
import type { ResourceDefinition } from './resource-definition';

/**
 * A resource as the caller may see it: hidden attributes dropped, attributes whose
 * `get_<resource>:<attribute>` policy denies dropped, then only the requested `fields`.
 */
export function resourceView(
  services: Pick<NetworkServices, 'policyNames'>,
  ctx: CallContext,
  def: ResourceDefinition,
  item: Resource,
  target: Record<string, unknown>,
  fields: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const rules = readRules(def);
  for (const name in item) {
    const spec = def.attributes[name];
    if (!spec || spec.visible === false) continue;
    if (fields.length && !fields.includes(name)) continue;
    let rule = rules.get(name);
    if (rule === undefined) {
      rule = `get_${def.resource}:${name}`;
      rules.set(name, rule);
    }
    if (services.policyNames.has(rule) && !ctx.allowed(rule, target)) continue;
    out[name] = spec.show ? spec.show(item[name]) : item[name];
  }
  return out;
}

/** Each definition's `get_<resource>:<attribute>` rule names, made once (a list renders thousands). */
const readRuleNames = new WeakMap<ResourceDefinition, Map<string, string>>();

function readRules(def: ResourceDefinition): Map<string, string> {
  let rules = readRuleNames.get(def);
  if (!rules) {
    rules = new Map();
    readRuleNames.set(def, rules);
  }
  return rules;
}
