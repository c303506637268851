import { readFileSync } from 'node:fs';
import { parse as parseIni } from 'ini';
import type { GroupValues, Option, OptionGroup } from './option';
import { OptionValueError, parseOptionValue } from './parse-value';

/** A start-up configuration problem; its message names the bad option and where it came from. */
export class ConfigError extends Error {}

/** Where the configuration comes from. */
export interface LoadConfigInput {
  /** Every group any part of the process may read; unknown sections or options in the file are errors. */
  groups: readonly OptionGroup[];
  /** Path of the INI file (oslo-style sections); absent means defaults plus environment. */
  file?: string;
  /** Environment overrides: `NIMBUS_<GROUP>__<OPTION>` (upper case, `-` as `_`). */
  env?: Record<string, string | undefined>;
  /** Values set by code (tests, command-line flags); they win over file and environment. */
  overrides?: Record<string, Record<string, unknown>>;
}

/** Loaded, validated configuration. Read a group with `config.group(myOptions)`. */
export class Config {
  private constructor(private readonly values: Map<string, Record<string, unknown>>) {}

  /** Loads and validates; throws ConfigError naming the first bad option. */
  static load(input: LoadConfigInput): Config {
    const groups = new Map<string, OptionGroup>();
    for (const g of input.groups) {
      const existing = groups.get(g.name);
      groups.set(g.name, existing ? { ...existing, options: { ...existing.options, ...g.options } } : g);
    }
    const values = new Map<string, Record<string, unknown>>();
    for (const [name, g] of groups) {
      values.set(name, Object.fromEntries(Object.entries(g.options).map(([k, o]) => [k, o.default])));
    }
    if (input.file) applyFile(input.file, groups, values);
    applyEnv(input.env ?? {}, groups, values);
    for (const [groupName, opts] of Object.entries(input.overrides ?? {})) {
      for (const [key, value] of Object.entries(opts)) {
        const option = lookup(groups, groupName, key, 'override');
        values.get(groupName)![canonicalName(groups.get(groupName)!, key)] =
          typeof value === 'string' && option.kind !== 'string' ? parseOrThrow(option, value, groupName, key, 'override') : value;
      }
    }
    return new Config(values);
  }

  /** The typed values of one declared group. */
  group<G extends OptionGroup>(group: G): GroupValues<G> {
    const v = this.values.get(group.name);
    if (!v) throw new ConfigError(`option group [${group.name}] was not declared when the configuration was loaded`);
    return v as GroupValues<G>;
  }
}

function applyFile(file: string, groups: Map<string, OptionGroup>, values: Map<string, Record<string, unknown>>): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read configuration file ${file}: ${(err as Error).message}`);
  }
  const parsed = parseIni(text) as Record<string, unknown>;
  for (const [section, body] of Object.entries(parsed)) {
    if (typeof body !== 'object' || body === null) {
      throw new ConfigError(`${file}: option '${section}' is outside any section; put it under [DEFAULT] or a service section`);
    }
    const groupName = section === 'DEFAULT' ? 'DEFAULT' : section;
    if (!groups.has(groupName)) throw new ConfigError(`${file}: unknown section [${section}]`);
    for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
      const where = `${file} [${section}]`;
      const option = lookup(groups, groupName, key, where);
      const text = Array.isArray(raw) ? raw.join(',') : String(raw);
      values.get(groupName)![canonicalName(groups.get(groupName)!, key)] = parseOrThrow(option, text, section, key, file);
    }
  }
}

function applyEnv(env: Record<string, string | undefined>, groups: Map<string, OptionGroup>, values: Map<string, Record<string, unknown>>): void {
  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith('NIMBUS_') || text === undefined) continue;
    const rest = name.slice('NIMBUS_'.length);
    const sep = rest.indexOf('__');
    if (sep < 0) continue;
    const groupKey = rest.slice(0, sep).toLowerCase().replaceAll('_', '-');
    const optKey = rest.slice(sep + 2).toLowerCase();
    const groupName = groupKey === 'default' ? 'DEFAULT' : [...groups.keys()].find((g) => g.toLowerCase().replaceAll('_', '-') === groupKey);
    if (!groupName || !groups.has(groupName)) throw new ConfigError(`environment ${name}: unknown section [${groupKey}]`);
    const option = lookup(groups, groupName, optKey, `environment ${name}`);
    values.get(groupName)![canonicalName(groups.get(groupName)!, optKey)] = parseOrThrow(option, text, groupName, optKey, `environment ${name}`);
  }
}

function canonicalName(group: OptionGroup, key: string): string {
  if (key in group.options) return key;
  for (const [name, o] of Object.entries(group.options)) if (o.deprecatedNames?.includes(key)) return name;
  return key;
}

function lookup(groups: Map<string, OptionGroup>, groupName: string, key: string, where: string): Option<unknown> {
  const group = groups.get(groupName);
  if (!group) throw new ConfigError(`${where}: unknown section [${groupName}]`);
  const option = group.options[canonicalName(group, key)];
  if (!option) throw new ConfigError(`${where}: unknown option '${key}' in [${groupName}]`);
  return option;
}

function parseOrThrow(option: Option<unknown>, text: string, section: string, key: string, where: string): unknown {
  try {
    return parseOptionValue(option, text);
  } catch (err) {
    if (err instanceof OptionValueError) throw new ConfigError(`${where}: invalid value for [${section}] ${key}: ${err.message}`);
    throw err;
  }
}
