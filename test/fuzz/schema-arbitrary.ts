import fc from 'fast-check';

type Schema = Record<string, unknown>;

const cache = new WeakMap<object, fc.Arbitrary<unknown>>();

/**
 * Values that mostly satisfy a route's JSON Schema: the fields it names with the types it wants,
 * required ones always, optional ones often. Patterns and formats are honoured where fast-check
 * can; where it cannot, a plain short string stands in (the server then answers 400, which is fine).
 */
export function schemaArbitrary(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const hit = cache.get(schema);
  if (hit) return hit;
  const arb = build(schema, depth);
  cache.set(schema, arb);
  return arb;
}

function build(s: Schema, depth: number): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum) && s.enum.length) return fc.constantFrom(...(s.enum as unknown[]));
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = s[key];
    if (Array.isArray(options) && options.length) {
      const base = { ...s };
      delete base[key];
      return fc.oneof(...(options as Schema[]).map((o) => schemaArbitrary({ ...base, ...o }, depth + 1)));
    }
  }
  if (Array.isArray(s.allOf) && s.allOf.length) {
    const merged = Object.assign({}, ...(s.allOf as Schema[]), s);
    delete merged.allOf;
    return schemaArbitrary(merged, depth + 1);
  }
  const types = [s.type].flat().filter((t): t is string => typeof t === 'string');
  if (types.length > 1) return fc.oneof(...types.map((t) => schemaArbitrary({ ...s, type: t }, depth + 1)));
  const type = types[0] ?? (s.properties ? 'object' : s.items ? 'array' : undefined);
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: num(s.minimum, -1000), max: num(s.maximum, 100_000) });
    case 'number':
      return fc.double({ min: num(s.minimum, -1000), max: num(s.maximum, 100_000), noNaN: true });
    case 'string':
      return stringArbitrary(s);
    case 'array': {
      const items = (s.items as Schema | undefined) ?? {};
      const minLength = num(s.minItems, 0);
      const maxLength = Math.max(minLength, Math.min(num(s.maxItems, 4), 4));
      return fc.array(schemaArbitrary(items, depth + 1), { minLength, maxLength });
    }
    case 'object':
      return objectArbitrary(s, depth);
    default:
      return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null));
  }
}

function num(v: unknown, dflt: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : dflt;
}

function stringArbitrary(s: Schema): fc.Arbitrary<string> {
  const minLength = num(s.minLength, 0);
  const maxLength = Math.max(minLength, Math.min(num(s.maxLength, 16), 16));
  switch (s.format) {
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc
        .date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'uri':
    case 'url':
      return fc.webUrl();
    case 'email':
      return fc.emailAddress();
    case 'ipv4':
      return fc.ipV4();
  }
  if (typeof s.pattern === 'string') {
    try {
      const re = new RegExp(s.pattern);
      return fc.stringMatching(re, { size: 'xsmall' });
    } catch {
      // Not a pattern fast-check can invert: fall through to plain strings.
    }
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme-ascii' });
}

function objectArbitrary(s: Schema, depth: number): fc.Arbitrary<unknown> {
  const props = (s.properties as Record<string, Schema> | undefined) ?? {};
  const required = new Set((s.required as string[] | undefined) ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of Object.entries(props)) model[k] = schemaArbitrary(v, depth + 1);
  const requiredKeys = Object.keys(props).filter((k) => required.has(k));
  const record = fc.record(model, { requiredKeys });
  const extra = s.additionalProperties;
  if (!Object.keys(props).length && extra !== false) {
    const values =
      typeof extra === 'object' && extra
        ? schemaArbitrary(extra as Schema, depth + 1)
        : fc.string({ maxLength: 8 });
    return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), values, { maxKeys: 3 });
  }
  return record;
}
