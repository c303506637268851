import { collectionSchema } from '../schemas/schema-documents';

/** The metadata-definition schema documents (`/v2/schemas/metadefs/...`), by path name. */
const str = (description: string) => ({ type: 'string', description });
const times = {
  created_at: { type: 'string', readOnly: true, format: 'date-time' },
  updated_at: { type: 'string', readOnly: true, format: 'date-time' },
};

const NAMESPACE = {
  name: 'namespace',
  properties: {
    namespace: { ...str('Unique name of the namespace.'), maxLength: 80 },
    display_name: { ...str('Name shown to people.'), maxLength: 80 },
    description: { ...str('What the namespace describes.'), maxLength: 500 },
    visibility: { type: 'string', description: 'Who can see the namespace.', enum: ['public', 'private'] },
    protected: { type: 'boolean', description: 'A protected namespace cannot be deleted.' },
    owner: { ...str('Project that owns the namespace.'), maxLength: 255 },
    resource_type_associations: { type: 'array', items: { type: 'object' } },
    objects: { type: 'array', items: { type: 'object' } },
    properties: { type: 'object' },
    tags: { type: 'array', items: { type: 'object' } },
    schema: { type: 'string', readOnly: true },
    self: { type: 'string', readOnly: true },
    ...times,
  },
  required: ['namespace'],
  additionalProperties: false,
};
const ASSOCIATION = {
  name: 'resource_type_association',
  properties: {
    name: { ...str('Resource type, such as OS::Glance::Image.'), maxLength: 80 },
    prefix: { ...str('Prefix of the properties when applied to the resource type.'), maxLength: 80 },
    properties_target: { ...str('Where on the resource the properties go.'), maxLength: 80 },
    ...times,
  },
  required: ['name'],
  additionalProperties: false,
};
const OBJECT = {
  name: 'object',
  properties: {
    name: { ...str('Name of the object.'), maxLength: 80 },
    description: str('What the object describes.'),
    required: { type: 'array', items: { type: 'string' } },
    properties: { type: 'object' },
    schema: { type: 'string', readOnly: true },
    self: { type: 'string', readOnly: true },
    ...times,
  },
  required: ['name'],
  additionalProperties: false,
};
const PROPERTY = {
  name: 'property',
  properties: {
    name: { ...str('Name of the property.'), maxLength: 80 },
    title: str('Title shown to people.'),
    description: str('What the property means.'),
    type: { type: 'string', enum: ['array', 'boolean', 'integer', 'number', 'object', 'string', null] },
    enum: { type: 'array' },
    default: {},
    readonly: { type: 'boolean' },
    minimum: { type: 'number' },
    maximum: { type: 'number' },
    minLength: { type: 'integer', minimum: 0 },
    maxLength: { type: 'integer', minimum: 0 },
    pattern: { type: 'string' },
    items: { type: 'object' },
    operators: { type: 'array', items: { type: 'string' } },
  },
  required: ['name', 'title', 'type'],
  additionalProperties: false,
};
const TAG = {
  name: 'tag',
  properties: { name: { ...str('The tag.'), maxLength: 255 }, ...times },
  required: ['name'],
  additionalProperties: false,
};

export const METADEF_SCHEMAS: Record<string, Record<string, unknown>> = {
  namespace: NAMESPACE,
  namespaces: collectionSchema('namespaces', NAMESPACE),
  resource_type: ASSOCIATION,
  resource_types: collectionSchema('resource_type_associations', ASSOCIATION),
  object: OBJECT,
  objects: collectionSchema('objects', OBJECT),
  property: PROPERTY,
  properties: {
    name: 'properties',
    properties: { properties: { type: 'object', additionalProperties: PROPERTY } },
  },
  tag: TAG,
  tags: collectionSchema('tags', TAG),
};
