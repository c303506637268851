import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { CheckKinds } from './checks';
import { PolicySyntaxError, parseRule } from './parse-rule';
import { PolicyFileError } from './policy-errors';

/** One rule an operator's file sets, with the line it is on. */
export interface FileRule {
  check: string;
  line: number;
}

/** The rules of one policy file, in file order. */
export interface PolicyFileRules {
  path: string;
  rules: Map<string, FileRule>;
}

/**
 * Reads a policy file (YAML, or JSON, which YAML reads too): a map of rule name to check string.
 * Every check string is parsed here, so a file that reads is a file whose rules compile. Throws
 * PolicyFileError naming the file, the line and the rule. `kinds` are the service's own check kinds.
 */
export function readPolicyFile(
  path: string,
  text = readFileSync(path, 'utf8'),
  kinds?: CheckKinds,
): PolicyFileRules {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? lines.linePos(first.pos[0]).line;
    throw new PolicyFileError(
      path,
      line,
      undefined,
      `not valid YAML or JSON: ${first.message.split('\n')[0]}`,
    );
  }
  const rules = new Map<string, FileRule>();
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { path, rules };
  if (!isMap(root)) {
    throw new PolicyFileError(
      path,
      lineOf(lines, root.range?.[0]),
      undefined,
      'a policy file maps rule names to check strings',
    );
  }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key : undefined;
    const line = lineOf(lines, key?.range?.[0]);
    if (!key || typeof key.value !== 'string') {
      throw new PolicyFileError(path, line, undefined, 'a rule name must be a string');
    }
    const name = key.value;
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof value !== 'string') {
      throw new PolicyFileError(
        path,
        line,
        name,
        'the check must be a string (use "" to allow everyone, "!" to allow no one)',
      );
    }
    try {
      parseRule(value, kinds);
    } catch (err) {
      if (!(err instanceof PolicySyntaxError)) throw err;
      throw new PolicyFileError(path, line, name, `bad check string: ${err.message}`);
    }
    rules.set(name, { check: value, line });
  }
  return { path, rules };
}

function lineOf(lines: LineCounter, offset: number | undefined): number {
  return offset === undefined ? 1 : lines.linePos(offset).line;
}
