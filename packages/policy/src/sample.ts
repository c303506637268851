import type { RuleDefault } from './rule-default';

/** A commented policy.yaml of every default, as oslopolicy-sample-generator writes it. */
export function generateSampleYaml(defaults: readonly RuleDefault[]): string {
  const out: string[] = [];
  for (const d of defaults) {
    out.push(`# ${d.description}`);
    for (const op of d.operations ?? []) out.push(`# ${op.method}  ${op.path}`);
    if (d.scopeTypes?.length) out.push(`# Intended scope(s): ${d.scopeTypes.join(', ')}`);
    out.push(`#"${d.name}": "${d.checkStr.replaceAll('"', '\\"')}"`, '');
  }
  return out.join('\n');
}
