/** What a compiled rule reads when it runs. */
export interface CheckInput {
  target: Record<string, unknown>;
  creds: Record<string, unknown>;
  /** Looks up another rule by name (`rule:x`); undefined when unknown. */
  rule(name: string): Check | undefined;
  /** Names of the rules being evaluated, to stop `rule:` loops. */
  stack: string[];
}

/** A compiled rule: answers allowed or not. */
export type Check = (input: CheckInput) => boolean;

/**
 * A service's own kind of check, as oslo.policy's `register()` adds one (Neutron's
 * `field:networks:shared=True`): compiles the text after `<kind>:` once. Throws PolicySyntaxError
 * when that text is malformed, so a bad policy file is refused at its line.
 */
export type CheckKind = (match: string) => Check;

/** Check kinds a service registers, by the word before the first colon. */
export type CheckKinds = Readonly<Record<string, CheckKind>>;

const SUBST = /%\(([^)]+)\)s/g;

/** Replaces `%(a.b)s` with the target's values; undefined when one is missing (the check fails, as oslo's KeyError). */
export function substitute(template: string, target: Record<string, unknown>): string | undefined {
  let missing = false;
  const out = template.replace(SUBST, (_m, key: string) => {
    const v = key in target ? target[key] : lookupPath(target, key);
    if (v === undefined) {
      missing = true;
      return '';
    }
    return pyStr(v);
  });
  return missing ? undefined : out;
}

/** Reads `a.b.c` from nested objects. */
export function lookupPath(obj: Record<string, unknown>, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Python's str() of a value: oslo compares the text forms. */
export function pyStr(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null) return 'None';
  return String(v);
}

/** Parses the literal on either side of a generic check ('True', quoted strings, numbers). */
export function literal(text: string): string | undefined {
  if (/^(['"]).*\1$/.test(text)) return text.slice(1, -1);
  if (text === 'True' || text === 'False' || text === 'None') return text;
  if (/^-?\d+(\.\d+)?$/.test(text)) return text;
  return undefined;
}

/** Reads a dotted path whose parts were split once, at compile time. */
function pathReader(path: string): (obj: Record<string, unknown>) => unknown {
  const parts = path.split('.');
  if (parts.length === 1) return (obj) => obj[path];
  return (obj) => {
    if (path in obj) return obj[path];
    let cur: unknown = obj;
    for (const part of parts) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
  };
}

/**
 * Compiles the right side of a check: a literal, one `%(key)s` read straight from the target, or
 * a template substituted in full. Undefined when a key is missing.
 */
function compileValue(text: string): (target: Record<string, unknown>) => string | undefined {
  const constant = literal(text);
  if (constant !== undefined) return () => constant;
  if (!text.includes('%(')) return () => text;
  const single = /^%\(([^)]+)\)s$/.exec(text);
  if (single) {
    const read = pathReader(single[1]!);
    return (target) => {
      const v = read(target);
      return v === undefined ? undefined : pyStr(v);
    };
  }
  return (target) => substitute(text, target);
}

/** Builds the check for one `kind:match` token; `kinds` are the service's own check kinds. */
export function compileAtom(token: string, kinds?: CheckKinds): Check {
  if (token === '@') return () => true;
  if (token === '!') return () => false;
  const colon = token.indexOf(':');
  if (colon < 0) return () => false;
  const kind = token.slice(0, colon);
  const match = token.slice(colon + 1);
  if (kind === 'rule') {
    return (input) => {
      if (input.stack.includes(match)) return false;
      const check = input.rule(match);
      if (!check) return false;
      input.stack.push(match);
      try {
        return check(input);
      } finally {
        input.stack.pop();
      }
    };
  }
  const custom = kinds && kind !== 'rule' && Object.hasOwn(kinds, kind) ? kinds[kind] : undefined;
  if (custom) return custom(match);
  if (kind === 'role') {
    const fixed = match.includes('%(') ? undefined : match.toLowerCase();
    const wantedOf = compileValue(match);
    return ({ target, creds }) => {
      const wanted = fixed ?? wantedOf(target)?.toLowerCase();
      if (wanted === undefined) return false;
      const roles = creds.roles;
      if (!Array.isArray(roles)) return false;
      for (const r of roles) {
        if (r === wanted || String(r).toLowerCase() === wanted) return true;
      }
      return false;
    };
  }
  if (kind === 'http' || kind === 'https') return () => false;
  // Generic check: the left side is a creds path, or a literal compared with the right side.
  const leftLiteral = literal(kind);
  const rightOf = compileValue(match);
  const read = pathReader(kind);
  return ({ target, creds }) => {
    const right = rightOf(target);
    if (right === undefined) return false;
    if (leftLiteral !== undefined) return leftLiteral === right;
    const value = read(creds);
    if (value === undefined) return false;
    if (Array.isArray(value)) return value.map(pyStr).includes(right);
    return pyStr(value) === right;
  };
}
