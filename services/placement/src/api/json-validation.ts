import { jsonschemaError, pyRepr, schemaAt } from '@nimbus/http';
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
  const { path, schemaPath, keyword, message, value } = jsonschemaError(error, schema, root);
  const where = `schema${schemaPath.map((s) => `[${pyRepr(s)}]`).join('')}`;
  const on = `instance${path.map((s) => `[${pyRepr(s)}]`).join('')}`;
  return `${message}\n\nFailed validating ${pyRepr(keyword)} in ${where}:\n    ${JSON.stringify(
    schemaAt(schema, schemaPath) ?? {},
  )}\n\nOn ${on}:\n    ${pyRepr(value)}`;
}
