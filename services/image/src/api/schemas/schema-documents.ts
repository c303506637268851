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

const UUID_PATTERN =
  '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$';
const TASK_PROPERTIES: Record<string, Record<string, unknown>> = {
  id: { type: 'string', description: 'An identifier for the task', pattern: UUID_PATTERN },
  type: { type: 'string', description: 'The type of task', enum: ['import', 'api_image_import'] },
  status: {
    type: 'string',
    description: 'The current status of the task',
    enum: ['pending', 'processing', 'success', 'failure'],
  },
  input: { type: ['null', 'object'], description: 'The parameters of the task, a JSON object' },
  result: { type: ['null', 'object'], description: 'The result of the task, a JSON object' },
  owner: { type: 'string', description: 'The project that owns the task' },
  message: { type: 'string', description: 'Why the task failed, when it did' },
  image_id: { type: 'string', description: 'The image the task works on' },
  request_id: { type: 'string', description: 'The request that started the task' },
  user_id: { type: 'string', description: 'The user who started the task' },
  expires_at: { type: ['null', 'string'], description: 'When the task will be removed' },
  created_at: { type: 'string', description: 'When the task was created' },
  updated_at: { type: 'string', description: 'When the task last changed' },
  self: { type: 'string', readOnly: true },
  schema: { type: 'string', readOnly: true },
};

/** `GET /v2/schemas/task`. */
export function taskSchema(): Record<string, unknown> {
  return { name: 'task', properties: TASK_PROPERTIES };
}

/** `GET /v2/schemas/tasks`: list entries leave out input, result and message. */
export function tasksSchema(): Record<string, unknown> {
  const { input: _i, result: _r, message: _m, ...stub } = TASK_PROPERTIES;
  return collectionSchema('tasks', { name: 'task', properties: stub });
}
