import { BadRequestError, ForbiddenError } from '@nimbus/errors';
import { compileBodySchema, lazily, validateOrThrow } from '@nimbus/http';
import { METADEF_BODY_SCHEMAS } from './metadef-schemas';

/** The name of a schema metadefs bodies are validated against (Glance's names). */
export type MetadefBodySchema = keyof typeof METADEF_BODY_SCHEMAS;

// Glance's documents do not say `type: object` at their top, and Glance then fails on a body
// that is not one (a 500); Nimbus refuses it with the schema's 400.
const validators = Object.fromEntries(
  Object.entries(METADEF_BODY_SCHEMAS).map(([name, schema]) => [
    name,
    lazily(() => compileBodySchema({ type: 'object', ...schema })),
  ]),
) as Record<MetadefBodySchema, () => ReturnType<typeof compileBodySchema>>;

// An object's own property definitions are checked once more on create, as complete properties
// without a name (Glance: property schema, require_name=False).
const nestedProperty = lazily(() =>
  compileBodySchema({
    type: 'object',
    ...METADEF_BODY_SCHEMAS.property,
    required: ['type', 'title'],
  }),
);

/** Fields a client may not send, per schema (Glance's `_disallowed_properties`). */
const READ_ONLY: Record<MetadefBodySchema, readonly string[]> = {
  namespace: ['self', 'schema', 'created_at', 'updated_at'],
  object: ['self', 'schema', 'created_at', 'updated_at'],
  property: ['created_at', 'updated_at'],
  resource_type_association: ['created_at', 'updated_at'],
  tag: ['created_at', 'updated_at'],
  tags: ['created_at', 'updated_at'],
};

/**
 * Checks a metadefs request body as Glance's deserializers do, before any manager sees it: a
 * missing body is 400, a read-only field 403, and anything the schema refuses 400 worded
 * `Provided object does not match schema '<name>': <reason>`. Returns the body, typed.
 */
export function checkMetadefBody<T = Record<string, unknown>>(
  schema: MetadefBodySchema,
  body: unknown,
  options: { nestedProperties?: boolean } = {},
): T {
  if (body === undefined) throw new BadRequestError('Body expected in request.');
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const key of READ_ONLY[schema])
      if (Object.hasOwn(body, key)) throw new ForbiddenError(`Attribute '${key}' is read-only.`);
  }
  const format = (name: string) => (p: { message: string }) =>
    `Provided object does not match schema '${name}': ${p.message}`;
  validateOrThrow(validators[schema](), body, format(schema));
  const nested = (body as { properties?: Record<string, unknown> }).properties;
  if (options.nestedProperties && nested)
    for (const definition of Object.values(nested))
      validateOrThrow(nestedProperty(), definition, format('property'));
  return body as T;
}
