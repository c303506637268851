/** The scopes oslo.policy knows. */
export type ScopeType = 'system' | 'domain' | 'project';

/** A default rule, declared as data beside the API it protects, under its upstream name. */
export interface RuleDefault {
  name: string;
  checkStr: string;
  description: string;
  scopeTypes?: readonly ScopeType[];
  operations?: readonly { method: string; path: string }[];
  /** The rule this one replaced; honoured (OR'd) while `enforce_new_defaults` is off. */
  deprecatedRule?: { name: string; checkStr: string };
}

/** Declares defaults (identity function that keeps literal types). */
export function defineRules(rules: RuleDefault[]): RuleDefault[] {
  return rules;
}
