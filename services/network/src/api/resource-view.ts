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
  for (const [name, value] of Object.entries(item)) {
    const spec = def.attributes[name];
    if (!spec || spec.visible === false) continue;
    if (fields.length && !fields.includes(name)) continue;
    const rule = `get_${def.resource}:${name}`;
    if (services.policyNames.has(rule) && !ctx.allowed(rule, target)) continue;
    out[name] = value;
  }
  return out;
}
