import { Ajv, type ValidateFunction } from 'ajv';

/**
 * JSON Schemas with their TypeScript type attached, for RPC arguments and results. The builder
 * follows TypeBox's names and shapes (`Type.Object`, `Type.Optional`, `Static<>`), so moving to
 * TypeBox later is an import change; the schemas themselves are plain JSON Schema, validated by
 * ajv (as the HTTP layer's are).
 */
export type TSchema<T = unknown> = Readonly<Record<string, unknown>> & {
  /** Never set: carries the static type only. */
  readonly [staticType]?: T;
};

declare const staticType: unique symbol;
const optionalMark = Symbol('optional');

/** The TypeScript type a schema describes. */
export type Static<S> = S extends TSchema<infer T> ? T : never;

type TOptional<S extends TSchema> = S & { readonly [optionalMark]: true };

type Properties = Record<string, TSchema>;
type OptionalKeys<P extends Properties> = {
  [K in keyof P]: P[K] extends { readonly [optionalMark]: true } ? K : never;
}[keyof P];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type ObjectStatic<P extends Properties> = Simplify<
  { [K in Exclude<keyof P, OptionalKeys<P>>]: Static<P[K]> } & {
    [K in OptionalKeys<P>]?: Static<P[K]>;
  }
>;

/** Extra JSON Schema keywords (`minLength`, `format`, `additionalProperties`...). */
type Options = Record<string, unknown>;

const schema = <T>(body: Record<string, unknown>): TSchema<T> => body as TSchema<T>;

/** Schema builders, named as TypeBox names them. */
export const Type = {
  String: (options: Options = {}) => schema<string>({ ...options, type: 'string' }),
  Number: (options: Options = {}) => schema<number>({ ...options, type: 'number' }),
  Integer: (options: Options = {}) => schema<number>({ ...options, type: 'integer' }),
  Boolean: (options: Options = {}) => schema<boolean>({ ...options, type: 'boolean' }),
  Null: () => schema<null>({ type: 'null' }),
  /** Any JSON value. */
  Unknown: () => schema<unknown>({}),
  /** No value (a result nobody reads): `null` on the wire. */
  Void: () => schema<void>({ type: 'null' }),
  Literal: <const V extends string | number | boolean>(value: V) => schema<V>({ const: value }),
  Array: <S extends TSchema>(items: S, options: Options = {}) =>
    schema<Static<S>[]>({ ...options, type: 'array', items }),
  Union: <S extends TSchema[]>(members: [...S]) => schema<Static<S[number]>>({ anyOf: members }),
  /** Objects keyed by any string, every value of one schema. */
  Record: <S extends TSchema>(_key: TSchema<string>, value: S) =>
    schema<Record<string, Static<S>>>({ type: 'object', additionalProperties: value }),
  /** Properties are required unless wrapped in `Type.Optional`; others are allowed unless options say otherwise. */
  Object: <P extends Properties>(properties: P, options: Options = {}) => {
    const required = Object.keys(properties).filter((k) => !(optionalMark in properties[k]!));
    return schema<ObjectStatic<P>>({
      ...options,
      type: 'object',
      properties,
      ...(required.length > 0 ? { required } : {}),
    });
  },
  Optional: <S extends TSchema>(inner: S): TOptional<S> =>
    ({ ...inner, [optionalMark]: true }) as TOptional<S>,
};

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
