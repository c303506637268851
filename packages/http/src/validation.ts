import { BadRequestError } from '@nimbus/errors';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { jsonschemaError } from './jsonschema-error';
import { pyRepr } from './py-repr';

// ajv-formats ships CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

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
const strictAjv = addFormats(
  new Ajv({
    allErrors: false,
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: false,
    strict: false,
  }),
);

/** `make()`, made on the first call and kept (validators compile when first used, not at start-up). */
export function lazily<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

/** Compiles a body schema. */
export function compileBodySchema(schema: JsonSchema): ValidateFunction {
  return strictAjv.compile(schema);
}

/** Compiles a query-string schema: every query value arrives as a string (or array of strings). */
export function compileQuerySchema(schema: JsonSchema): ValidateFunction {
  return strictAjv.compile(schema);
}

/** Runs a compiled validator and throws a 400 worded by `format` on the first failure. */
export function validateOrThrow(
  validate: ValidateFunction,
  data: unknown,
  format: ValidationMessageFormatter,
): void {
  if (validate(data)) return;
  const error = validate.errors?.[0];
  if (!error) throw new BadRequestError('Invalid input.');
  throw new BadRequestError(format(describe(error, validate.schema as JsonSchema, data)), {
    code: 'VALIDATION_FAILED',
  });
}

function describe(error: ErrorObject, schema: JsonSchema, root: unknown): ValidationProblem {
  const { path, message, value } = jsonschemaError(error, schema, root);
  return { path: path.join('/'), message, value };
}
