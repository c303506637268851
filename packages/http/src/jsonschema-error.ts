import type { ErrorObject } from 'ajv';
import { pyRepr } from './py-repr';

/** A JSON Schema validation failure as Python's jsonschema words and locates it. */
export interface JsonschemaError {
  /** Path of the failing value in the document (`['user', 'name']`). */
  path: string[];
  /** Path of the failing keyword in the schema, the keyword itself popped off. */
  schemaPath: string[];
  /** The failing keyword (`required`, `type`...). */
  keyword: string;
  /** jsonschema's message: `1 is not of type 'string'`, `'total' is a required property`. */
  message: string;
  /** The failing value. */
  value: unknown;
}

/**
 * Words ajv's first error as Python's jsonschema does, since OpenStack's validators are
 * jsonschema and clients and upstream tests match on its messages.
 */
export function jsonschemaError(
  error: ErrorObject,
  schema: Record<string, unknown>,
  root: unknown,
): JsonschemaError {
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
  return { path: segments, schemaPath, keyword, message, value };
}

/** The schema node at `path`, when there is one. */
export function schemaAt(
  schema: Record<string, unknown>,
  path: string[],
): Record<string, unknown> | undefined {
  let node: unknown = schema;
  for (const key of path)
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return node && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}
