import type { RuleDefault } from './rule-default';

/**
 * The check string each rule name stands for, as oslo.policy composes it: a registered default,
 * OR-ed with its deprecated rule while `enforce_new_defaults` is off (unless the operator set the
 * rule, or the two are the same); an operator's override of a renamed rule's deprecated name
 * carried over to the new name; then every operator rule, aliases included, as written.
 */
export function effectiveRules(
  defaults: readonly RuleDefault[],
  overrides: Readonly<Record<string, string>>,
  enforceNewDefaults: boolean,
): Map<string, string> {
  const has = (name: string) => Object.hasOwn(overrides, name);
  const out = new Map<string, string>();
  for (const d of defaults) {
    const old = d.deprecatedRule;
    if (old && old.name !== d.name && has(old.name) && !has(d.name)) {
      const file = overrides[old.name]!;
      if (file !== old.checkStr && file !== `rule:${d.name}`) {
        out.set(d.name, file);
        continue;
      }
    }
    if (old && !enforceNewDefaults && old.checkStr !== d.checkStr && !has(d.name)) {
      out.set(d.name, `(${d.checkStr || '@'}) or (${old.checkStr || '@'})`);
      continue;
    }
    out.set(d.name, d.checkStr);
  }
  for (const [name, check] of Object.entries(overrides)) out.set(name, check);
  return out;
}
