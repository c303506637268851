import type { RuleDefault, ScopeType } from '@nimbus/policy';

/** What a Neutron default rule declares besides its name and check string. */
export interface NeutronRuleExtras {
  /** The API calls the rule guards, as `[method, path]`. */
  ops?: readonly (readonly [string, string])[];
  /** The check string of the rule this one replaced (honoured while enforce_new_defaults is off). */
  deprecated?: string;
  /** The name of the replaced rule when it differed. */
  deprecatedName?: string;
  scope?: readonly ScopeType[];
}

/** Declares one of Neutron's default rules; the description is derived from what it guards. */
export function neutronRule(name: string, checkStr: string, extras: NeutronRuleExtras = {}): RuleDefault {
  const operations = extras.ops?.map(([method, path]) => ({ method, path }));
  return {
    name,
    checkStr,
    description: operations?.length
      ? operations.map((o) => `${o.method} ${o.path}`).join(', ')
      : `Shared rule ${name}.`,
    ...(operations ? { operations } : {}),
    ...(extras.scope ? { scopeTypes: extras.scope } : {}),
    ...(extras.deprecated !== undefined
      ? { deprecatedRule: { name: extras.deprecatedName ?? name, checkStr: extras.deprecated } }
      : {}),
  };
}
