import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * RPC argument and result schemas are TypeBox schemas: plain JSON Schema with the TypeScript type
 * attached (`Static<>`), validated by ajv as the HTTP layer validates request bodies.
 */
export { type Static, type TSchema, Type } from '@sinclair/typebox';

// Strict as OpenStack's jsonschema validation is: no coercion, nothing removed or defaulted.
const ajv = new Ajv({
  allErrors: true,
  coerceTypes: false,
  removeAdditional: false,
  useDefaults: false,
  strict: false,
});
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Checks `value` against `schema` (compiled once per schema object). Returns the problems, as
 * `path: message` lines; an empty list means valid.
 */
export function schemaProblems(schemaObject: TSchema, value: unknown): string[] {
  let validate = compiled.get(schemaObject);
  if (!validate) {
    validate = ajv.compile(schemaObject as Record<string, unknown>);
    compiled.set(schemaObject, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}
