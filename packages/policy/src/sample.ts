import type { RuleDefault } from './rule-default';

const quote = (s: string) => s.replaceAll('\\', '\\\\').replaceAll('"', '\\"');

/**
 * A commented policy.yaml of every default, laid out as oslopolicy-sample-generator writes one:
 * description, operations, intended scopes, the commented rule, then its deprecated rule.
 * Uncommenting a line overrides that rule; the file stays valid YAML throughout.
 */
export function generateSampleYaml(defaults: readonly RuleDefault[], header?: string): string {
  const out: string[] = [];
  if (header) out.push(...header.split('\n').map((l) => (l ? `# ${l}` : '#')), '');
  for (const d of defaults) {
    for (const line of d.description.split('\n')) out.push(line ? `# ${line}` : '#');
    for (const op of d.operations ?? []) out.push(`# ${op.method}  ${op.path}`);
    if (d.scopeTypes?.length) out.push(`# Intended scope(s): ${d.scopeTypes.join(', ')}`);
    out.push(`#"${quote(d.name)}": "${quote(d.checkStr)}"`, '');
    const old = d.deprecatedRule;
    if (old) {
      out.push(
        '# DEPRECATED',
        `# "${quote(old.name)}":"${quote(old.checkStr)}" is deprecated in favor of`,
        `# "${quote(d.name)}":"${quote(d.checkStr)}"; it is OR-ed in while`,
        '# [oslo_policy] enforce_new_defaults is off.',
      );
      if (old.name !== d.name)
        out.push(
          `# The rule was renamed: an override of "${quote(old.name)}" applies to "${quote(d.name)}".`,
        );
      out.push('');
    }
  }
  return out.join('\n');
}
