import fc from 'fast-check';
import { deepNesting, hostileJson, hostileRawBodies, hostileString, ONE_MB } from './hostile-values';

type Mutation =
  | 'none'
  | 'wrongType'
  | 'unknownField'
  | 'nullInArray'
  | 'deepNesting'
  | 'hugeString'
  | 'dropField';
type RawMutation = 'truncate' | 'invalidUtf8' | 'duplicateKey' | 'proto' | 'bom' | 'nul';

/** Every node of a JSON value with the path that reaches it (the root has the empty path). */
function nodes(
  value: unknown,
  path: (string | number)[] = [],
  out: { path: (string | number)[]; value: unknown }[] = [],
) {
  out.push({ path, value });
  if (out.length > 200) return out;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) nodes(v, [...path, i], out);
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) nodes(v, [...path, k], out);
  return out;
}

/** A copy of `root` with the node at `path` replaced (or removed when `replacement` is `REMOVE`). */
function replaced(root: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (!path.length) return replacement;
  const copy: any = Array.isArray(root) ? [...root] : { ...(root as object) };
  const [head, ...rest] = path;
  if (!rest.length && replacement === REMOVE) {
    if (Array.isArray(copy)) copy.splice(head as number, 1);
    else delete copy[head as string];
    return copy;
  }
  copy[head as string] = replaced(copy[head as string], rest, replacement);
  return copy;
}
const REMOVE = Symbol('remove');

function mutate(value: unknown, kind: Mutation, pick: number, hostile: unknown, name: string): unknown {
  if (kind === 'none') return value;
  const all = nodes(value);
  const containers = all.filter((n) => n.value && typeof n.value === 'object');
  const at = <T>(xs: T[]) => xs[pick % xs.length]!;
  switch (kind) {
    case 'wrongType':
      return replaced(value, at(all).path, hostile);
    case 'dropField':
      return all.length > 1 ? replaced(value, at(all.slice(1)).path, REMOVE) : value;
    case 'unknownField': {
      const objects = containers.filter((n) => !Array.isArray(n.value));
      if (!objects.length) return value;
      const target = at(objects);
      return replaced(value, target.path, { ...(target.value as object), [name]: hostile });
    }
    case 'nullInArray': {
      const arrays = containers.filter((n) => Array.isArray(n.value));
      if (!arrays.length) return replaced(value, at(all).path, [null]);
      const target = at(arrays);
      return replaced(value, target.path, [...(target.value as unknown[]), null]);
    }
    case 'deepNesting':
      return replaced(value, at(all).path, deepNesting(pick % 2 ? 300 : 40, pick % 3 ? 'object' : 'array'));
    case 'hugeString':
      return replaced(value, at(all).path, pick % 4 ? 'x'.repeat(100_000) : ONE_MB);
  }
}

function mutateRaw(json: string, kind: RawMutation, pick: number): Buffer {
  switch (kind) {
    case 'truncate':
      return Buffer.from(json.slice(0, pick % Math.max(json.length, 1)));
    case 'invalidUtf8': {
      const at = pick % Math.max(json.length, 1);
      const bytes = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe6, 0x97]][pick % 4]!;
      return Buffer.concat([Buffer.from(json.slice(0, at)), Buffer.from(bytes), Buffer.from(json.slice(at))]);
    }
    case 'duplicateKey': {
      const m = /^\{"([^"]+)":/.exec(json);
      return Buffer.from(m ? `{"${m[1]}":null,${json.slice(1)}` : json);
    }
    case 'proto':
      return Buffer.from(
        json.startsWith('{') && json.length > 2
          ? `{"__proto__":{"is_admin":true},${json.slice(1)}`
          : '{"__proto__":[]}',
      );
    case 'bom':
      return Buffer.from(`\ufeff${json}`);
    case 'nul':
      return Buffer.from(json.replace(/"/, '"\u0000'));
  }
}

/**
 * Bodies for a route whose valid bodies `valid` generates: a few valid ones, most mutated once
 * (a wrong-typed leaf, a dropped or unknown field, null in an array, deep nesting, a huge string),
 * some mangled as bytes (truncated, invalid UTF-8, duplicate keys, `__proto__`, BOM, NUL), and
 * some that are not the route's document at all.
 */
export function bodyArbitrary(valid: fc.Arbitrary<unknown>): fc.Arbitrary<Buffer> {
  const structured = fc
    .tuple(
      valid,
      fc.constantFrom<Mutation>(
        'none',
        'wrongType',
        'wrongType',
        'unknownField',
        'nullInArray',
        'deepNesting',
        'hugeString',
        'dropField',
      ),
      fc.nat(),
      hostileJson,
      fc.oneof(fc.constantFrom('zzz_unknown', 'id', 'links', 'extra', '__proto__', ''), hostileString),
    )
    .map(([v, kind, pick, hostile, name]) => {
      // A `huge string` mutation is rare: most of them are only 413s and slow the run.
      const k = kind === 'hugeString' && pick % 8 ? 'wrongType' : kind;
      return Buffer.from(JSON.stringify(mutate(v, k, pick, hostile, name)) ?? 'null');
    });
  const raw = fc
    .tuple(
      valid,
      fc.constantFrom<RawMutation>('truncate', 'invalidUtf8', 'duplicateKey', 'proto', 'bom', 'nul'),
      fc.nat(),
    )
    .map(([v, kind, pick]) => mutateRaw(JSON.stringify(v) ?? 'null', kind, pick));
  return fc.oneof(
    { arbitrary: structured, weight: 10 },
    { arbitrary: raw, weight: 3 },
    { arbitrary: fc.constantFrom(...hostileRawBodies), weight: 1 },
    { arbitrary: hostileJson.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')), weight: 1 },
  );
}
