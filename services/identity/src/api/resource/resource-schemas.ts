import type { JsonSchema } from '@nimbus/http';

const name = { type: 'string', minLength: 1, maxLength: 64, pattern: '[\\S]+' };
const description = { type: ['string', 'null'] };
const idString = { type: ['string', 'null'], minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' };
/** A tag: 1–255 characters, no `/` nor `,` (the API-WG tag guideline). */
export const tagSchema = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^,/]*$' };
const tags = { type: 'array', items: tagSchema, maxItems: 80, uniqueItems: true };
const options = {
  type: 'object',
  properties: { immutable: { type: ['boolean', 'null'] } },
  additionalProperties: false,
};

const projectProperties = {
  description,
  domain_id: idString,
  enabled: { type: 'boolean' },
  is_domain: { type: 'boolean' },
  parent_id: idString,
  name,
  tags,
  options,
};
const domainProperties = {
  description,
  enabled: { type: 'boolean' },
  name,
  tags,
  options,
  explicit_domain_id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' },
};

const wrap = (key: string, inner: JsonSchema): JsonSchema => ({
  type: 'object',
  required: [key],
  properties: { [key]: inner },
});

export const createProjectBody = wrap('project', {
  type: 'object',
  required: ['name'],
  properties: projectProperties,
  additionalProperties: true,
});
export const updateProjectBody = wrap('project', {
  type: 'object',
  minProperties: 1,
  properties: projectProperties,
  additionalProperties: true,
});
export const createDomainBody = wrap('domain', {
  type: 'object',
  required: ['name'],
  properties: domainProperties,
  additionalProperties: true,
});
export const updateDomainBody = wrap('domain', {
  type: 'object',
  minProperties: 1,
  properties: domainProperties,
  additionalProperties: true,
});
export const updateTagsBody: JsonSchema = { type: 'object', required: ['tags'], properties: { tags } };
