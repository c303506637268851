import { collectionSchema } from '../schemas/schema-documents';

// The metadata-definition schema documents (`/v2/schemas/metadefs/...`). As in Glance, the
// documents served are the ones request bodies are validated against (see metadef-body.ts).

const str = (description: string, maxLength?: number) => ({
  type: 'string',
  description,
  ...(maxLength ? { maxLength } : {}),
});
const readOnly = { type: 'string', readOnly: true };
const times = {
  created_at: { type: 'string', readOnly: true, format: 'date-time' },
  updated_at: { type: 'string', readOnly: true, format: 'date-time' },
};
const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string', null];

/** The fields of one property definition (a namespace's or an object's). */
const PROPERTY_FIELDS = {
  name: { type: 'string', maxLength: 80 },
  title: { type: 'string' },
  description: { type: 'string' },
  operators: { type: 'array', items: { type: 'string' } },
  type: { type: 'string', enum: TYPES },
  required: { $ref: '#/definitions/stringArray' },
  minimum: { type: 'number' },
  maximum: { type: 'number' },
  maxLength: { $ref: '#/definitions/positiveInteger' },
  minLength: { $ref: '#/definitions/positiveIntegerDefault0' },
  pattern: { type: 'string', format: 'regex' },
  enum: { type: 'array' },
  readonly: { type: 'boolean' },
  default: {},
  items: {
    type: 'object',
    properties: { type: { type: 'string', enum: TYPES }, enum: { type: 'array' } },
  },
  maxItems: { $ref: '#/definitions/positiveInteger' },
  minItems: { $ref: '#/definitions/positiveIntegerDefault0' },
  uniqueItems: { type: 'boolean', default: false },
  additionalItems: { type: 'boolean' },
};

/** Shared by every metadefs document that nests property definitions. */
const DEFINITIONS = {
  positiveInteger: { type: 'integer', minimum: 0 },
  positiveIntegerDefault0: { allOf: [{ $ref: '#/definitions/positiveInteger' }, { default: 0 }] },
  stringArray: { type: 'array', items: { type: 'string' }, uniqueItems: true },
  property: {
    type: 'object',
    additionalProperties: { type: 'object', required: ['title', 'type'], properties: PROPERTY_FIELDS },
  },
};

/**
 * Where Nimbus is stricter than Glance's documents: Glance leaves the `name` of nested objects,
 * tags and associations optional and then fails storing a nameless one; these require it.
 */
const named = (properties: Record<string, unknown>) => ({
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, ...properties },
});

const NAMESPACE = {
  name: 'namespace',
  properties: {
    namespace: str('Unique name of the namespace.', 80),
    display_name: str('Name shown to people.', 80),
    description: str('What the namespace describes.', 500),
    visibility: { type: 'string', description: 'Who can see the namespace.', enum: ['public', 'private'] },
    protected: { type: 'boolean', description: 'A protected namespace cannot be deleted.' },
    owner: str('Project that owns the namespace.', 255),
    ...times,
    schema: readOnly,
    self: readOnly,
    resource_type_associations: {
      type: 'array',
      items: named({ prefix: { type: 'string' }, properties_target: { type: 'string' } }),
    },
    properties: { $ref: '#/definitions/property' },
    objects: {
      type: 'array',
      items: named({
        description: { type: 'string' },
        required: { $ref: '#/definitions/stringArray' },
        properties: { $ref: '#/definitions/property' },
      }),
    },
    tags: { type: 'array', items: named({}) },
  },
  additionalProperties: false,
  required: ['namespace'],
  definitions: DEFINITIONS,
};

const ASSOCIATION = {
  name: 'resource_type_association',
  properties: {
    name: str('Resource type, such as OS::Glance::Image.', 80),
    prefix: str('Prefix of the properties when applied to the resource type.', 80),
    properties_target: str('Where on the resource the properties go.', 80),
    ...times,
  },
  additionalProperties: false,
  required: ['name'],
};

const OBJECT = {
  name: 'object',
  properties: {
    name: { type: 'string', maxLength: 80 },
    description: { type: 'string' },
    required: { $ref: '#/definitions/stringArray' },
    properties: { $ref: '#/definitions/property' },
    schema: readOnly,
    self: readOnly,
    ...times,
  },
  additionalProperties: false,
  required: ['name'],
  definitions: DEFINITIONS,
};

const PROPERTY = {
  name: 'property',
  properties: PROPERTY_FIELDS,
  additionalProperties: false,
  required: ['type', 'title', 'name'],
  definitions: DEFINITIONS,
};

const { definitions: _definitions, ...PROPERTY_ITEM } = PROPERTY;

const TAG = {
  name: 'tag',
  properties: { name: { type: 'string', maxLength: 80 }, ...times },
  additionalProperties: false,
  required: ['name'],
};

/** The body of `POST .../tags` (Glance validates it against this; it is not served). */
const TAG_LIST = {
  name: 'tags',
  properties: {
    tags: {
      type: 'array',
      items: { ...named({}), additionalProperties: false },
    },
  },
  additionalProperties: false,
  required: ['tags'],
};

/** A collection document, with the item's definitions hoisted to its top as Glance does. */
function collection(name: string, item: Record<string, unknown>): Record<string, unknown> {
  const { definitions, ...rest } = item;
  return { ...collectionSchema(name, rest), ...(definitions ? { definitions } : {}) };
}

/** The schemas request bodies are validated against, by Glance's schema name. */
export const METADEF_BODY_SCHEMAS = {
  namespace: NAMESPACE,
  resource_type_association: ASSOCIATION,
  object: OBJECT,
  property: PROPERTY,
  tag: TAG,
  tags: TAG_LIST,
} satisfies Record<string, Record<string, unknown>>;

/** The metadata-definition schema documents (`/v2/schemas/metadefs/...`), by path name. */
export const METADEF_SCHEMAS: Record<string, Record<string, unknown>> = {
  namespace: NAMESPACE,
  namespaces: collection('namespaces', NAMESPACE),
  resource_type: ASSOCIATION,
  resource_types: collection('resource_type_associations', ASSOCIATION),
  object: OBJECT,
  objects: collection('objects', OBJECT),
  property: PROPERTY,
  properties: {
    name: 'properties',
    properties: {
      properties: {
        type: 'object',
        additionalProperties: { ...PROPERTY_ITEM, required: ['type', 'title'] },
      },
      first: { type: 'string' },
      next: { type: 'string' },
      schema: { type: 'string' },
    },
    definitions: DEFINITIONS,
  },
  tag: TAG,
  tags: collection('tags', TAG),
};
