import { IMAGE_LINKS, IMAGE_PROPERTIES } from './image-schema-data';

/** `GET /v2/schemas/image`: additional properties are strings (Glance's permissive schema). */
export function imageSchema(): Record<string, unknown> {
  return {
    name: 'image',
    properties: IMAGE_PROPERTIES,
    additionalProperties: { type: 'string' },
    links: IMAGE_LINKS,
  };
}

/** A collection document in Glance's shape (`images`, `members`...). */
export function collectionSchema(name: string, item: Record<string, unknown>): Record<string, unknown> {
  return {
    name,
    properties: {
      [name]: { type: 'array', items: item },
      first: { type: 'string' },
      next: { type: 'string' },
      schema: { type: 'string' },
    },
    links: [
      { rel: 'first', href: '{first}' },
      { rel: 'next', href: '{next}' },
      { rel: 'describedby', href: '{schema}' },
    ],
  };
}

/** `GET /v2/schemas/images`. */
export function imagesSchema(): Record<string, unknown> {
  return collectionSchema('images', imageSchema());
}

const MEMBER_PROPERTIES = {
  member_id: { type: 'string', description: 'Project the image is shared with.' },
  image_id: {
    type: 'string',
    description: 'The shared image.',
    pattern: '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$',
  },
  created_at: { type: 'string', description: 'When the member was added.' },
  updated_at: { type: 'string', description: 'When the member last changed.' },
  status: {
    type: 'string',
    description: 'Whether the member accepted the image.',
    enum: ['pending', 'accepted', 'rejected'],
  },
  schema: { type: 'string', readOnly: true },
};

/** `GET /v2/schemas/member`. */
export function memberSchema(): Record<string, unknown> {
  return { name: 'member', properties: MEMBER_PROPERTIES };
}

/** `GET /v2/schemas/members`. */
export function membersSchema(): Record<string, unknown> {
  return collectionSchema('members', memberSchema());
}
