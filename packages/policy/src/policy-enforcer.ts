import { readFileSync } from 'node:fs';
import { ForbiddenError } from '@nimbus/errors';
import { parse as parseYaml } from 'yaml';
import type { Check } from './checks';
import { PolicySyntaxError, parseRule } from './parse-rule';
import type { RuleDefault, ScopeType } from './rule-default';

/** The logger the enforcer explains denials to (pino-compatible). */
export interface PolicyLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** How the enforcer is set up. */
export interface PolicyEnforcerOptions {
  defaults: readonly RuleDefault[];
  /** Operator overrides (`policy.yaml` contents): rule name → check string. */
  overrides?: Record<string, string>;
  /** Reject tokens whose scope is not in a rule's scope types (oslo's enforce_scope). */
  enforceScope?: boolean;
  /** Use only the new defaults; when false, deprecated rules are OR'd in (oslo's enforce_new_defaults). */
  enforceNewDefaults?: boolean;
  logger?: PolicyLogger;
}

/** The outcome of one check, with the reason a denial happened. */
export interface Decision {
  allowed: boolean;
  reason: string;
}

/** The action is not registered: a programming error, as oslo's PolicyNotRegistered. */
export class PolicyNotRegistered extends Error {}

/** The token's scope is not one this action accepts (oslo's InvalidScope): 403. */
export class InvalidScopeError extends ForbiddenError {
  constructor(action: string, scope: string) {
    super(`${action} cannot be performed with a ${scope}-scoped token.`, { code: 'POLICY_INVALID_SCOPE' });
  }
}

/**
 * An oslo.policy-compatible enforcer: defaults declared as data, operator overrides from a
 * policy file, every rule compiled once into closures, and each denial explained in the debug log.
 */
export class PolicyEnforcer {
  private readonly compiled = new Map<string, Check>();
  private readonly defaults = new Map<string, RuleDefault>();

  constructor(private readonly options: PolicyEnforcerOptions) {
    const sources = new Map<string, string>();
    for (const d of options.defaults) {
      this.defaults.set(d.name, d);
      const deprecated = d.deprecatedRule && !options.enforceNewDefaults ? d.deprecatedRule.checkStr : undefined;
      sources.set(d.name, deprecated !== undefined ? `(${d.checkStr || '@'}) or (${deprecated || '@'})` : d.checkStr);
    }
    for (const [name, rule] of Object.entries(options.overrides ?? {})) sources.set(name, rule);
    for (const [name, rule] of sources) {
      try {
        this.compiled.set(name, parseRule(rule));
      } catch (err) {
        if (!(err instanceof PolicySyntaxError)) throw err;
        options.logger?.warn({ rule: name, check: rule }, `policy rule failed to parse, it will deny: ${err.message}`);
        this.compiled.set(name, () => false);
      }
    }
  }

  /** Reads overrides from a policy.yaml (or JSON) file. */
  static loadOverrides(path: string): Record<string, string> {
    const doc = parseYaml(readFileSync(path, 'utf8')) as unknown;
    if (doc === null || doc === undefined) return {};
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${path}: a policy file maps rule names to check strings`);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
      if (typeof v !== 'string') throw new Error(`${path}: rule ${k} must be a string`);
      out[k] = v;
    }
    return out;
  }

  /** Checks an action; `scope` is the token's scope kind. */
  enforce(action: string, target: Record<string, unknown>, creds: Record<string, unknown>, scope?: ScopeType | 'unscoped'): Decision {
    const check = this.compiled.get(action);
    if (!check) throw new PolicyNotRegistered(`Policy ${action} has not been registered`);
    const def = this.defaults.get(action);
    if (this.options.enforceScope && def?.scopeTypes?.length && scope && !def.scopeTypes.includes(scope as ScopeType)) {
      throw new InvalidScopeError(action, scope);
    }
    const allowed = check({ target, creds, rule: (name) => this.compiled.get(name), stack: [action] });
    if (allowed) return { allowed, reason: '' };
    const reason = `rule ${action} (${this.sourceOf(action)}) failed for roles [${(creds.roles as string[] | undefined)?.join(', ') ?? ''}]`;
    this.options.logger?.debug({ action, target, user: creds.user_id, project: creds.project_id }, `policy denied: ${reason}`);
    return { allowed, reason };
  }

  /**
   * Evaluates a check string that is not a registered action (Glance's property protections
   * name rules this way); it may refer to every rule the enforcer knows.
   */
  evaluate(checkStr: string, target: Record<string, unknown>, creds: Record<string, unknown>): boolean {
    return parseRule(checkStr)({ target, creds, rule: (name) => this.compiled.get(name), stack: [checkStr] });
  }

  /** Throws ForbiddenError (Nova's wording) when the action is denied. */
  authorize(action: string, target: Record<string, unknown>, creds: Record<string, unknown>, scope?: ScopeType | 'unscoped'): void {
    if (!this.enforce(action, target, creds, scope).allowed) throw new ForbiddenError(`Policy doesn't allow ${action} to be performed.`, { code: 'POLICY_DENIED' });
  }

  private sourceOf(action: string): string {
    return this.options.overrides?.[action] ?? this.defaults.get(action)?.checkStr ?? '';
  }
}
