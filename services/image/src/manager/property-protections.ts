import { readFileSync } from 'node:fs';
import type { ImageCaller } from './image-caller';

/** The four operations a protection rule governs. */
export type PropertyOperation = 'create' | 'read' | 'update' | 'delete';

const OPERATIONS: PropertyOperation[] = ['create', 'read', 'update', 'delete'];

interface Rule {
  pattern: RegExp;
  /** Per operation: role names (`roles` format) or one policy rule name (`policies` format). */
  allowed: Record<PropertyOperation, string[]>;
}

/** Evaluates a policy rule by name for a caller (the `policies` format). */
export type PolicyRuleCheck = (ruleName: string, caller: ImageCaller) => boolean;

/** Section name → key → value of the protections file (section names are regular expressions). */
function parseSections(text: string, path: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const [n, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      current = new Map();
      sections.set(line.slice(1, -1), current);
      continue;
    }
    const at = line.indexOf('=');
    if (!current || at < 0) throw new Error(`${path}:${n + 1}: expected [section] or key = value`);
    current.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return sections;
}

/**
 * Glance's property protections (`property_protection_file`): sections whose names are regular
 * expressions over additional property names, in file order, each granting create / read /
 * update / delete to roles (`@` everyone, `!` no one) or, in the `policies` format, to one
 * policy rule. The first section that matches a property decides; a property no section matches
 * is off limits to everyone, as upstream. A malformed file stops the service from starting.
 */
export class PropertyProtections {
  private constructor(
    private readonly rules: Rule[],
    private readonly format: 'roles' | 'policies',
    private readonly policy: PolicyRuleCheck | undefined,
  ) {}

  static load(path: string, format: 'roles' | 'policies', policy?: PolicyRuleCheck): PropertyProtections {
    const rules: Rule[] = [];
    for (const [section, keys] of parseSections(readFileSync(path, 'utf8'), path)) {
      let pattern: RegExp;
      try {
        pattern = new RegExp(section);
      } catch (err) {
        throw new Error(
          `${path}: malformed property protection rule [${section}]: ${(err as Error).message}`,
        );
      }
      const allowed = {} as Record<PropertyOperation, string[]>;
      for (const op of OPERATIONS) {
        const value = keys.get(op);
        if (value === undefined) throw new Error(`${path}: [${section}] has no '${op}'`);
        const list = value
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean);
        if (list.includes('@') && list.includes('!'))
          throw new Error(`${path}: [${section}] ${op}: '@' and '!' are mutually exclusive`);
        if (format === 'policies' && list.length > 1)
          throw new Error(
            `${path}: [${section}] ${op}: one policy per operation (combine them in the policy)`,
          );
        allowed[op] = list;
      }
      rules.push({ pattern, allowed });
    }
    return new PropertyProtections(rules, format, policy);
  }

  /** Whether the caller may perform `op` on the additional property `name`. */
  allows(name: string, op: PropertyOperation, caller: ImageCaller): boolean {
    const rule = this.rules.find((r) => r.pattern.test(name));
    if (!rule) return false;
    const allowed = rule.allowed[op];
    if (!allowed.length || allowed.includes('!')) return false;
    if (allowed.includes('@')) return true;
    if (this.format === 'policies') return this.policy?.(allowed[0]!, caller) ?? false;
    const roles = new Set((caller.roles ?? []).map((r) => r.toLowerCase()));
    return allowed.some((r) => roles.has(r.toLowerCase()));
  }
}
