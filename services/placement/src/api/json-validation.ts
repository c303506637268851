import { pyRepr } from '@nimbus/http';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { PlacementBadRequest } from '../manager/placement-errors';

/** oslo's is_uuid_like: any spelling Python's uuid.UUID reads (hyphens optional, any case, braces, urn:uuid:). */
export function isUuidLike(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const bare = value
    .replace(/^urn:/i, '')
    .replace(/^uuid:/i, '')
    .replace(/[{}]/g, '')
    .replaceAll('-', '');
  return /^[0-9a-fA-F]{32}$/.test(bare);
}

/** The canonical spelling (lowercase, hyphenated) of a UUID-like string. */
export function canonicalUuid(value: string): string {
  const h = value
    .replace(/^urn:uuid:/i, '')
    .replace(/[{}-]/g, '')
    .toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// Python's jsonschema, which upstream validates with: no coercion, nothing stripped or defaulted.
const ajv = new Ajv({
  allErrors: false,
  coerceTypes: false,
  removeAdditional: false,
  useDefaults: false,
  strict: false,
});
ajv.addFormat('uuid', { type: 'string', validate: (v: string) => isUuidLike(v) });

/** A JSON Schema as upstream's schemas write them. */
export type Schema = Record<string, unknown>;

const compiled = new WeakMap<Schema, ValidateFunction>();

function compile(schema: Schema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/**
 * Validates `data`; on failure throws a 400 whose message reads as Python jsonschema's
 * ValidationError does (`'total' is a required property\n\nFailed validating 'required' in schema...`),
 * prefixed with `prefix` (`JSON does not validate: `).
 */
export function validateJson(schema: Schema, data: unknown, prefix: string): void {
  const fn = compile(schema);
  if (fn(data)) return;
  const error = fn.errors?.[0];
  if (!error) throw new PlacementBadRequest(`${prefix}invalid input`);
  throw new PlacementBadRequest(`${prefix}${pythonMessage(error, schema, data)}`);
}

function pythonMessage(error: ErrorObject, schema: Schema, root: unknown): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  const value = segments.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    root,
  );
  const p = error.params as Record<string, unknown>;
  const schemaPath = error.schemaPath
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s).replaceAll('~1', '/').replaceAll('~0', '~'));
  const keyword = schemaPath.pop() ?? error.keyword;
  let message: string;
  switch (error.keyword) {
    case 'type':
      message = `${pyRepr(value)} is not of type ${[p.type]
        .flat()
        .map((t) => `'${t}'`)
        .join(', ')}`;
      break;
    case 'required':
      message = `'${p.missingProperty}' is a required property`;
      break;
    case 'additionalProperties': {
      const parent = schemaAt(schema, schemaPath);
      const patterns = parent?.patternProperties ? Object.keys(parent.patternProperties as object) : [];
      message = patterns.length
        ? `${pyRepr(p.additionalProperty)} does not match any of the regexes: ${patterns
            .sort()
            .map((r) => pyRepr(r))
            .join(', ')}`
        : `Additional properties are not allowed (${pyRepr(p.additionalProperty)} was unexpected)`;
      break;
    }
    case 'minLength':
    case 'minItems':
      message = `${pyRepr(value)} is too short`;
      break;
    case 'maxLength':
    case 'maxItems':
      message = `${pyRepr(value)} is too long`;
      break;
    case 'enum':
      message = `${pyRepr(value)} is not one of ${pyRepr(p.allowedValues)}`;
      break;
    case 'pattern':
      message = `${pyRepr(value)} does not match ${pyRepr(p.pattern)}`;
      break;
    case 'minimum':
      message = `${pyRepr(value)} is less than the minimum of ${p.limit}`;
      break;
    case 'maximum':
      message = `${pyRepr(value)} is greater than the maximum of ${p.limit}`;
      break;
    case 'format':
      message = `${pyRepr(value)} is not a ${pyRepr(p.format)}`;
      break;
    case 'uniqueItems':
      message = `${pyRepr(value)} has non-unique elements`;
      break;
    case 'minProperties':
      message = `${pyRepr(value)} does not have enough properties`;
      break;
    case 'anyOf':
    case 'oneOf':
      message = `${pyRepr(value)} is not valid under any of the given schemas`;
      break;
    default:
      message = `${pyRepr(value)} ${error.message ?? 'is not valid'}`;
  }
  const where = `schema${schemaPath.map((s) => `[${pyRepr(s)}]`).join('')}`;
  const on = `instance${segments.map((s) => `[${pyRepr(s)}]`).join('')}`;
  return `${message}\n\nFailed validating ${pyRepr(keyword)} in ${where}:\n    ${JSON.stringify(
    schemaAt(schema, schemaPath) ?? {},
  )}\n\nOn ${on}:\n    ${pyRepr(value)}`;
}

function schemaAt(schema: Schema, path: string[]): Record<string, unknown> | undefined {
  let node: unknown = schema;
  for (const key of path)
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return node && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}
