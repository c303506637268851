import { ruleReferences } from './parse-rule';
import { PolicyDefaultsError, PolicyFileError } from './policy-errors';
import type { PolicyFileRules } from './policy-file';
import type { RuleDefault } from './rule-default';

/** What validation looks at: the registered defaults, the operator's files and the composed rules. */
export interface RuleSet {
  defaults: readonly RuleDefault[];
  /** The operator's files, later ones winning. */
  files: readonly PolicyFileRules[];
  /** Rule name → check string in force (see effectiveRules). */
  effective: ReadonlyMap<string, string>;
  /** Names the service accepts in files besides its defaults (e.g. rules its other files name). */
  knownNames?: readonly string[];
}

/**
 * Refuses what oslo.policy only warns about: a file rule that is neither registered nor used as
 * an alias by another rule (a misspelt name would otherwise change nothing, silently), a `rule:`
 * that names no rule, and rules that refer to themselves or form a cycle. Errors in operator rules
 * throw PolicyFileError (file, line, rule); errors in the defaults alone throw PolicyDefaultsError.
 */
export function validateRules(set: RuleSet): void {
  const where = new Map<string, { file: string; line: number }>();
  for (const f of set.files) for (const [name, r] of f.rules) where.set(name, { file: f.path, line: r.line });
  const fail = (name: string, reason: string): never => {
    const w = where.get(name);
    if (w) throw new PolicyFileError(w.file, w.line, name, reason);
    throw new PolicyDefaultsError(`default rule "${name}": ${reason}`);
  };

  const refs = new Map<string, string[]>();
  const referenced = new Set<string>();
  for (const [name, check] of set.effective) {
    const names = ruleReferences(check);
    refs.set(name, names);
    for (const n of names) referenced.add(n);
  }

  const registered = new Set<string>(set.knownNames ?? []);
  for (const d of set.defaults) {
    registered.add(d.name);
    if (d.deprecatedRule) registered.add(d.deprecatedRule.name);
  }
  for (const name of where.keys()) {
    if (!registered.has(name) && !referenced.has(name)) {
      fail(name, 'is not a rule of this service and no other rule refers to it (misspelt?)');
    }
  }

  // Undefined aliases: report file rules before defaults, so the operator sees their line.
  const order = [...where.keys(), ...[...set.effective.keys()].filter((n) => !where.has(n))];
  for (const name of order) {
    for (const n of refs.get(name) ?? []) {
      if (!set.effective.has(n)) fail(name, `refers to rule:${n}, which is not defined`);
    }
  }

  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    path.push(name);
    for (const n of refs.get(name) ?? []) {
      const s = state.get(n);
      if (s === 'visiting') {
        const cycle = [...path.slice(path.indexOf(n)), n];
        const culprit = cycle.find((c) => where.has(c)) ?? name;
        fail(
          culprit,
          n === name && cycle.length === 2 ? 'refers to itself' : `is part of a cycle: ${cycle.join(' -> ')}`,
        );
      }
      if (s === undefined) visit(n);
    }
    path.pop();
    state.set(name, 'done');
  };
  for (const name of order) if (!state.has(name)) visit(name);
}
