import { readFileSync } from 'node:fs';
import { ForbiddenError } from '@nimbus/errors';
import { parse as parseYaml } from 'yaml';
import type { Check, CheckKinds } from './checks';
import { effectiveRules } from './effective-rules';
import { PolicySyntaxError, parseRule } from './parse-rule';
import { InvalidScopeError, PolicyNotRegistered } from './policy-errors';
import type { RuleDefault, ScopeType } from './rule-default';

/** The logger the enforcer explains itself to (pino-compatible). */
export interface PolicyLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error?(obj: object, msg: string): void;
}

/** How the enforcer is set up. */
export interface PolicyEnforcerOptions {
  defaults: readonly RuleDefault[];
  /** Operator overrides (`policy.yaml` contents): rule name → check string. */
  overrides?: Record<string, string>;
  /** Reject tokens whose scope is not in a rule's scope types (oslo's enforce_scope); else log it. */
  enforceScope?: boolean;
  /** Use only the new defaults; when false, deprecated rules are OR'd in (oslo's enforce_new_defaults). */
  enforceNewDefaults?: boolean;
  logger?: PolicyLogger;
  /** The service's own check kinds (oslo.policy's `register()`), e.g. Neutron's `field:`. */
  checkKinds?: CheckKinds;
}

/** The outcome of one check, with the reason a denial happened. */
export interface Decision {
  allowed: boolean;
  reason: string;
}

/** The token scope a check runs with; unscoped tokens count as project-scoped, as in oslo.policy. */
export type TokenScope = ScopeType | 'unscoped';

/**
 * An oslo.policy-compatible enforcer: defaults declared as data, operator overrides, every rule
 * compiled once into closures, and each denial explained in the debug log. Immutable: a reloaded
 * policy is a new enforcer.
 */
export class PolicyEnforcer {
  private readonly compiled = new Map<string, Check>();
  private readonly defaults = new Map<string, RuleDefault>();
  private readonly sources: Map<string, string>;
  private readonly scopeWarned = new Set<string>();
  private readonly lookup = (name: string) => this.compiled.get(name);

  constructor(private readonly options: PolicyEnforcerOptions) {
    for (const d of options.defaults) this.defaults.set(d.name, d);
    this.sources = effectiveRules(
      options.defaults,
      options.overrides ?? {},
      options.enforceNewDefaults ?? false,
    );
    for (const [name, rule] of this.sources) {
      try {
        this.compiled.set(name, parseRule(rule, options.checkKinds));
      } catch (err) {
        if (!(err instanceof PolicySyntaxError)) throw err;
        options.logger?.warn(
          { rule: name, check: rule },
          `policy rule failed to parse, it will deny: ${err.message}`,
        );
        this.compiled.set(name, () => false);
      }
    }
  }

  /** Reads overrides from a policy.yaml (or JSON) file, without validating them (see readPolicyFile). */
  static loadOverrides(path: string): Record<string, string> {
    const doc = parseYaml(readFileSync(path, 'utf8')) as unknown;
    if (doc === null || doc === undefined) return {};
    if (typeof doc !== 'object' || Array.isArray(doc))
      throw new Error(`${path}: a policy file maps rule names to check strings`);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
      if (typeof v !== 'string') throw new Error(`${path}: rule ${k} must be a string`);
      out[k] = v;
    }
    return out;
  }

  /** True when `action` is a registered default or a rule an operator file defines. */
  has(action: string): boolean {
    return this.compiled.has(action);
  }

  /** Every rule name with the check string in force (defaults composed with overrides). */
  rules(): ReadonlyMap<string, string> {
    return this.sources;
  }

  /**
   * Checks an action; `scope` is the token's scope kind. Throws PolicyNotRegistered for a name no
   * default registers, and InvalidScopeError when enforce_scope is on and the scope does not fit.
   */
  enforce(
    action: string,
    target: Record<string, unknown>,
    creds: Record<string, unknown>,
    scope?: TokenScope,
  ): Decision {
    const check = this.compiled.get(action);
    const def = this.defaults.get(action);
    if (!check || !def) throw new PolicyNotRegistered(action);
    if (scope && def.scopeTypes?.length)
      this.checkScope(action, def.scopeTypes, scope === 'unscoped' ? 'project' : scope);
    const allowed = check({ target, creds, rule: this.lookup, stack: [action] });
    if (allowed) return { allowed, reason: '' };
    const reason = `rule ${action} (${this.sources.get(action)}) failed for roles [${(creds.roles as string[] | undefined)?.join(', ') ?? ''}]`;
    this.options.logger?.debug(
      { action, target, user: creds.user_id, project: creds.project_id },
      `policy denied: ${reason}`,
    );
    return { allowed, reason };
  }

  /**
   * Evaluates a check string that is not a registered action (Glance's property protections
   * name rules this way); it may refer to every rule the enforcer knows.
   */
  evaluate(checkStr: string, target: Record<string, unknown>, creds: Record<string, unknown>): boolean {
    return parseRule(
      checkStr,
      this.options.checkKinds,
    )({ target, creds, rule: this.lookup, stack: [checkStr] });
  }

  /** Throws ForbiddenError (Nova's wording) when the action is denied. */
  authorize(
    action: string,
    target: Record<string, unknown>,
    creds: Record<string, unknown>,
    scope?: TokenScope,
  ): void {
    if (!this.enforce(action, target, creds, scope).allowed)
      throw new ForbiddenError(`Policy doesn't allow ${action} to be performed.`, { code: 'POLICY_DENIED' });
  }

  private checkScope(action: string, scopeTypes: readonly ScopeType[], scope: ScopeType): void {
    if (scopeTypes.includes(scope)) return;
    if (this.options.enforceScope) throw new InvalidScopeError(action, scope);
    // oslo.policy warns on every mismatch; once per rule and scope keeps the log readable.
    const key = `${action} ${scope}`;
    if (this.scopeWarned.has(key)) return;
    this.scopeWarned.add(key);
    this.options.logger?.warn(
      { action, tokenScope: scope, scopeTypes },
      `policy ${action} failed its scope check: the token is ${scope}-scoped but the rule is meant for ${scopeTypes.join(', ')}; refused once [oslo_policy] enforce_scope is on`,
    );
  }
}
