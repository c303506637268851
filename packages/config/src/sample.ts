import type { Option, OptionGroup } from './option';

/** Renders a commented sample configuration file from the declared groups, as oslo-config-generator does. */
export function generateSample(groups: readonly OptionGroup[]): string {
  const out: string[] = [];
  const merged = new Map<string, OptionGroup>();
  for (const g of groups) {
    const prev = merged.get(g.name);
    merged.set(g.name, prev ? { ...prev, options: { ...prev.options, ...g.options } } : g);
  }
  const ordered = [...merged.values()].sort((a, b) => (a.name === 'DEFAULT' ? -1 : b.name === 'DEFAULT' ? 1 : a.name.localeCompare(b.name)));
  for (const group of ordered) {
    out.push(`[${group.name}]`, '');
    if (group.help) out.push(...wrap(group.help).map((l) => `# ${l}`), '');
    for (const [name, option] of Object.entries(group.options)) {
      out.push(...wrap(option.help).map((l) => `# ${l}`));
      out.push(`# ${describe(option)}`);
      out.push(`#${name} = ${option.secret ? '<None>' : renderDefault(option.default)}`, '');
    }
  }
  return out.join('\n');
}

function describe(option: Option<unknown>): string {
  const parts = [`${option.kind} value`];
  if (option.choices) parts.push(`allowed values: ${option.choices.join(', ')}`);
  if (option.min !== undefined) parts.push(`minimum ${option.min}`);
  if (option.max !== undefined) parts.push(`maximum ${option.max}`);
  if (option.deprecatedNames?.length) parts.push(`deprecated names: ${option.deprecatedNames.join(', ')}`);
  return `(${parts.join('; ')})`;
}

function renderDefault(value: unknown): string {
  if (value === undefined || value === null || value === '') return '<None>';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

function wrap(text: string, width = 76): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
