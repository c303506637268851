import { type Check, type CheckKinds, compileAtom } from './checks';

/** A rule string that could not be parsed; enforcement treats it as deny. */
export class PolicySyntaxError extends Error {}

type Token = { kind: 'op'; value: 'and' | 'or' | 'not' | '(' | ')' } | { kind: 'atom'; value: string };

function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  for (const raw of rule.trim().split(/\s+/)) {
    if (!raw) continue;
    let word = raw;
    while (word.startsWith('(')) {
      tokens.push({ kind: 'op', value: '(' });
      word = word.slice(1);
    }
    let closing = 0;
    while (word.endsWith(')') && !/%\([^)]*\)$/.test(word)) {
      closing++;
      word = word.slice(0, -1);
    }
    if (word) {
      const lower = word.toLowerCase();
      if (lower === 'and' || lower === 'or' || lower === 'not') tokens.push({ kind: 'op', value: lower });
      else tokens.push({ kind: 'atom', value: word });
    }
    for (let i = 0; i < closing; i++) tokens.push({ kind: 'op', value: ')' });
  }
  return tokens;
}

/** The rule names a check string refers to with `rule:name`, in order of appearance. */
export function ruleReferences(rule: string): string[] {
  const names: string[] = [];
  for (const t of tokenize(rule))
    if (t.kind === 'atom' && t.value.startsWith('rule:')) names.push(t.value.slice(5));
  return names;
}

/**
 * Compiles an oslo.policy rule string (`role:admin or (role:reader and project_id:%(project_id)s)`)
 * into a check. Precedence as oslo: `not` binds tightest, then `and`, then `or`. An empty rule
 * always passes. `kinds` are the service's own check kinds (see CheckKind). Throws
 * PolicySyntaxError on malformed input.
 */
export function parseRule(rule: string, kinds?: CheckKinds): Check {
  const tokens = tokenize(rule);
  if (tokens.length === 0) return () => true;
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => {
    const t = peek();
    return t?.kind === 'op' && t.value === v;
  };
  const parseOr = (): Check => {
    const parts = [parseAnd()];
    while (isOp('or')) {
      pos++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? parts[0]! : (i) => parts.some((c) => c(i));
  };
  const parseAnd = (): Check => {
    const parts = [parseNot()];
    while (isOp('and')) {
      pos++;
      parts.push(parseNot());
    }
    return parts.length === 1 ? parts[0]! : (i) => parts.every((c) => c(i));
  };
  const parseNot = (): Check => {
    if (isOp('not')) {
      pos++;
      const inner = parseNot();
      return (i) => !inner(i);
    }
    return parsePrimary();
  };
  const parsePrimary = (): Check => {
    const t = peek();
    if (!t) throw new PolicySyntaxError(`unexpected end of rule: ${rule}`);
    if (t.kind === 'op' && t.value === '(') {
      pos++;
      const inner = parseOr();
      if (!isOp(')')) throw new PolicySyntaxError(`missing ')' in rule: ${rule}`);
      pos++;
      return inner;
    }
    if (t.kind === 'op') throw new PolicySyntaxError(`unexpected '${t.value}' in rule: ${rule}`);
    pos++;
    if (!t.value.includes(':') && t.value !== '@' && t.value !== '!')
      throw new PolicySyntaxError(`'${t.value}' is not a check in rule: ${rule}`);
    return compileAtom(t.value, kinds);
  };
  const check = parseOr();
  if (pos !== tokens.length) throw new PolicySyntaxError(`unexpected trailing tokens in rule: ${rule}`);
  return check;
}
