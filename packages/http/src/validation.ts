import { BadRequestError } from '@nimbus/errors';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats ships CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/** A JSON Schema object as OpenStack's validators write them. */
export type JsonSchema = Record<string, unknown>;

/** One validation failure, in terms a service can word in its upstream style. */
export interface ValidationProblem {
  /** Path of the failing field (`user/name`), empty for the document itself. */
  path: string;
  /** Python-jsonschema style message (`1 is not of type 'string'`). */
  message: string;
  value: unknown;
}

/** Words a validation failure as a service's message. Default: Keystone's wording. */
export type ValidationMessageFormatter = (problem: ValidationProblem) => string;

/** Keystone: `Invalid input for field 'name': 1 is not of type 'string'`. */
export const keystoneValidationMessage: ValidationMessageFormatter = (p) =>
  p.path ? `Invalid input for field '${p.path}': ${p.message}` : p.message;

/** Nova and Cinder: `Invalid input for field/attribute name. Value: 1. 1 is not of type 'string'`. */
export const novaValidationMessage: ValidationMessageFormatter = (p) =>
  `Invalid input for field/attribute ${p.path || 'body'}. Value: ${pyRepr(p.value)}. ${p.message}`;

// Bodies are strict: no coercion, nothing stripped, as OpenStack's jsonschema validators behave.
const strictAjv = addFormats(new Ajv({ allErrors: false, coerceTypes: false, removeAdditional: false, useDefaults: false, strict: false }));

/** Compiles a body schema once, at route registration. */
export function compileBodySchema(schema: JsonSchema): ValidateFunction {
  return strictAjv.compile(schema);
}

/** Compiles a query-string schema: every query value arrives as a string (or array of strings). */
export function compileQuerySchema(schema: JsonSchema): ValidateFunction {
  return strictAjv.compile(schema);
}

/** Runs a compiled validator and throws a 400 worded by `format` on the first failure. */
export function validateOrThrow(validate: ValidateFunction, data: unknown, format: ValidationMessageFormatter): void {
  if (validate(data)) return;
  const error = validate.errors?.[0];
  if (!error) throw new BadRequestError('Invalid input.');
  throw new BadRequestError(format(describe(error, data)), { code: 'VALIDATION_FAILED' });
}

function describe(error: ErrorObject, root: unknown): ValidationProblem {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  const value = segments.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), root);
  const p = error.params as Record<string, unknown>;
  let message: string;
  switch (error.keyword) {
    case 'type':
      message = `${pyRepr(value)} is not of type ${[p.type].flat().map((t) => `'${t}'`).join(', ')}`;
      break;
    case 'required':
      message = `'${p.missingProperty}' is a required property`;
      break;
    case 'additionalProperties':
      message = `Additional properties are not allowed ('${p.additionalProperty}' was unexpected)`;
      break;
    case 'minLength':
      message = `${pyRepr(value)} is too short`;
      break;
    case 'maxLength':
      message = `${pyRepr(value)} is too long`;
      break;
    case 'minItems':
      message = `${pyRepr(value)} is too short`;
      break;
    case 'maxItems':
      message = `${pyRepr(value)} is too long`;
      break;
    case 'enum':
      message = `${pyRepr(value)} is not one of ${pyRepr(p.allowedValues)}`;
      break;
    case 'pattern':
      message = `${pyRepr(value)} does not match '${p.pattern}'`;
      break;
    case 'minimum':
      message = `${pyRepr(value)} is less than the minimum of ${p.limit}`;
      break;
    case 'maximum':
      message = `${pyRepr(value)} is greater than the maximum of ${p.limit}`;
      break;
    case 'format':
      message = `${pyRepr(value)} is not a '${p.format}'`;
      break;
    case 'uniqueItems':
      message = `${pyRepr(value)} has non-unique elements`;
      break;
    case 'minProperties':
      message = `${pyRepr(value)} does not have enough properties`;
      break;
    case 'maxProperties':
      message = `${pyRepr(value)} has too many properties`;
      break;
    default:
      message = `${pyRepr(value)} ${error.message ?? 'is not valid'}`;
  }
  return { path: segments.join('/'), message, value };
}

/** How deep `pyRepr` renders before eliding: bodies may nest thousands deep (a 400, not a 500). */
const REPR_MAX_DEPTH = 32;
/** How many characters of a rendered value a message carries at most. */
const REPR_MAX_LENGTH = 4096;

/**
 * Renders a JSON value as Python's repr would, since upstream messages quote Python values.
 * Hostile bodies stay cheap: nesting past 32 levels renders as `...`, the result is cut at
 * 4,096 characters, and anything that is not plain JSON data (a stream handed to a streaming
 * route) renders as its type name instead of being walked.
 */
export function pyRepr(value: unknown): string {
  const text = reprAt(value, 0);
  return text.length > REPR_MAX_LENGTH ? `${text.slice(0, REPR_MAX_LENGTH)}...` : text;
}

function reprAt(value: unknown, depth: number): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'object') return String(value);
  if (depth >= REPR_MAX_DEPTH) return Array.isArray(value) ? '[...]' : '{...}';
  if (Array.isArray(value)) return `[${value.map((v) => reprAt(v, depth + 1)).join(', ')}]`;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `<${proto?.constructor?.name ?? 'object'}>`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${reprAt(k, depth + 1)}: ${reprAt(v, depth + 1)}`)
    .join(', ')}}`;
}
