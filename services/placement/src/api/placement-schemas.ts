import type { Schema } from './json-validation';

// Placement 8.0's request schemas, restated as data (facts of the wire format).
const MAX_INT = 2_147_483_647;
const RC = '^[A-Z0-9_]+$';
const UUID = '^[0-9a-fA-F-]{36}$';
const uuid = { type: 'string', format: 'uuid' };
const clone = <T>(v: T): T => structuredClone(v);

/** Request schema `providerPost` (upstream's, at the microversion in its name). */
export const providerPost: Schema = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 200 }, uuid },
  required: ['name'],
  additionalProperties: false,
};
/** Request schema `providerPost114` (upstream's, at the microversion in its name). */
export const providerPost114: Schema = {
  ...clone(providerPost),
  properties: {
    ...clone(providerPost.properties as object),
    parent_provider_uuid: { anyOf: [uuid, { type: 'null' }] },
  },
};
/** Request schema `providerPut` (upstream's, at the microversion in its name). */
export const providerPut: Schema = {
  ...clone(providerPost),
  properties: { name: { type: 'string', maxLength: 200 } },
};
/** Request schema `providerPut114` (upstream's, at the microversion in its name). */
export const providerPut114: Schema = {
  ...clone(providerPut),
  properties: {
    name: { type: 'string', maxLength: 200 },
    parent_provider_uuid: { anyOf: [uuid, { type: 'null' }] },
  },
};

const listBase = { name: { type: 'string' }, uuid };
/** Request schema `providerList` (upstream's, at the microversion in its name). */
export const providerList: Record<string, Schema> = {
  '1.0': { type: 'object', properties: listBase, additionalProperties: false },
  '1.3': {
    type: 'object',
    properties: { ...listBase, member_of: { type: 'string' } },
    additionalProperties: false,
  },
  '1.4': {
    type: 'object',
    properties: { ...listBase, member_of: { type: 'string' }, resources: { type: 'string' } },
    additionalProperties: false,
  },
  '1.14': {
    type: 'object',
    properties: { ...listBase, member_of: { type: 'string' }, resources: { type: 'string' }, in_tree: uuid },
    additionalProperties: false,
  },
  '1.18': {
    type: 'object',
    properties: {
      ...listBase,
      member_of: { type: 'string' },
      resources: { type: 'string' },
      in_tree: uuid,
      required: { type: 'string' },
    },
    additionalProperties: false,
  },
};

const inventoryFields = {
  total: { type: 'integer', maximum: MAX_INT, minimum: 1 },
  reserved: { type: 'integer', maximum: MAX_INT, minimum: 0 },
  min_unit: { type: 'integer', maximum: MAX_INT, minimum: 1 },
  max_unit: { type: 'integer', maximum: MAX_INT, minimum: 1 },
  step_size: { type: 'integer', maximum: MAX_INT, minimum: 1 },
  allocation_ratio: { type: 'number', maximum: 3.40282e38 },
};
/** Request schema `inventoryBase` (upstream's, at the microversion in its name). */
export const inventoryBase: Schema = {
  type: 'object',
  properties: { resource_provider_generation: { type: 'integer' }, ...inventoryFields },
  required: ['total', 'resource_provider_generation'],
  additionalProperties: false,
};
/** Request schema `inventoryPost` (upstream's, at the microversion in its name). */
export const inventoryPost: Schema = {
  type: 'object',
  properties: {
    resource_provider_generation: { type: 'integer' },
    ...inventoryFields,
    resource_class: { type: 'string', pattern: RC },
  },
  required: ['total', 'resource_class'],
  additionalProperties: false,
};
const inventoryRecord = {
  type: 'object',
  properties: { resource_provider_generation: { type: 'integer' }, ...inventoryFields },
  required: ['total'],
  additionalProperties: false,
};
/** Request schema `inventoriesPut` (upstream's, at the microversion in its name). */
export const inventoriesPut: Schema = {
  type: 'object',
  properties: {
    resource_provider_generation: { type: 'integer' },
    inventories: { type: 'object', patternProperties: { [RC]: inventoryRecord } },
  },
  required: ['resource_provider_generation', 'inventories'],
  additionalProperties: false,
};

/** Request schema `resourceClassBody` (upstream's, at the microversion in its name). */
export const resourceClassBody: Schema = {
  type: 'object',
  properties: { name: { type: 'string', pattern: '^CUSTOM_[A-Z0-9_]+$', maxLength: 255 } },
  required: ['name'],
  additionalProperties: false,
};

const trait = { type: 'string', minLength: 1, maxLength: 255 };
/** Request schema `customTrait` (upstream's, at the microversion in its name). */
export const customTrait: Schema = { ...trait, pattern: '^CUSTOM_[A-Z0-9_]+$' };
/** Request schema `providerTraitsPut` (upstream's, at the microversion in its name). */
export const providerTraitsPut: Schema = {
  type: 'object',
  properties: { traits: { type: 'array', items: trait }, resource_provider_generation: { type: 'integer' } },
  required: ['traits', 'resource_provider_generation'],
  additionalProperties: false,
};
/** Request schema `traitList` (upstream's, at the microversion in its name). */
export const traitList: Schema = {
  type: 'object',
  properties: { name: { type: 'string' }, associated: { type: 'string' } },
  additionalProperties: false,
};

const aggregateList = { type: 'array', items: uuid, uniqueItems: true };
/** Request schema `aggregatesPut11` (upstream's, at the microversion in its name). */
export const aggregatesPut11: Schema = aggregateList;
/** Request schema `aggregatesPut119` (upstream's, at the microversion in its name). */
export const aggregatesPut119: Schema = {
  type: 'object',
  properties: { aggregates: aggregateList, resource_provider_generation: { type: 'integer' } },
  required: ['aggregates', 'resource_provider_generation'],
  additionalProperties: false,
};

const resources = {
  type: 'object',
  minProperties: 1,
  patternProperties: { [RC]: { type: 'integer', minimum: 1 } },
  additionalProperties: false,
};
const externalId = { type: 'string', minLength: 1, maxLength: 255 };
/** Request schema `allocationPut10` (upstream's, at the microversion in its name). */
export const allocationPut10: Schema = {
  type: 'object',
  properties: {
    allocations: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          resource_provider: {
            type: 'object',
            properties: { uuid },
            additionalProperties: false,
            required: ['uuid'],
          },
          resources,
        },
        required: ['resource_provider', 'resources'],
        additionalProperties: false,
      },
    },
  },
  required: ['allocations'],
  additionalProperties: false,
};
/** Request schema `allocationPut18` (upstream's, at the microversion in its name). */
export const allocationPut18: Schema = {
  ...clone(allocationPut10),
  properties: { ...clone(allocationPut10.properties as object), project_id: externalId, user_id: externalId },
  required: ['allocations', 'project_id', 'user_id'],
};
/** Request schema `allocationPut112` (upstream's, at the microversion in its name). */
export const allocationPut112: Schema = {
  type: 'object',
  properties: {
    allocations: {
      type: 'object',
      minProperties: 1,
      patternProperties: {
        [UUID]: {
          type: 'object',
          properties: { generation: { type: 'integer' }, resources },
          required: ['resources'],
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
    project_id: externalId,
    user_id: externalId,
  },
  additionalProperties: false,
  required: ['allocations', 'project_id', 'user_id'],
};
const deletable = clone(allocationPut112);
(deletable.properties as { allocations: { minProperties: number } }).allocations.minProperties = 0;
const generation = { type: ['integer', 'null'] };
/** Request schema `allocationPut128` (upstream's, at the microversion in its name). */
export const allocationPut128: Schema = {
  ...clone(deletable),
  properties: { ...clone(deletable.properties as object), consumer_generation: generation },
  required: ['allocations', 'project_id', 'user_id', 'consumer_generation'],
};
const mappings = {
  type: 'object',
  minProperties: 1,
  patternProperties: { '^[a-zA-Z0-9_-]{1,64}$': { type: 'array', minItems: 1, items: uuid } },
};
/** Request schema `allocationPut134` (upstream's, at the microversion in its name). */
export const allocationPut134: Schema = {
  ...clone(allocationPut128),
  properties: { ...clone(allocationPut128.properties as object), mappings },
};
/** Request schema `allocationPut138` (upstream's, at the microversion in its name). */
export const allocationPut138: Schema = {
  ...clone(allocationPut134),
  properties: {
    ...clone(allocationPut134.properties as object),
    consumer_type: { type: 'string', pattern: RC, minLength: 1, maxLength: 255 },
  },
  required: ['allocations', 'project_id', 'user_id', 'consumer_generation', 'consumer_type'],
};
const post = (each: Schema): Schema => ({
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  patternProperties: { [UUID]: each },
});
/** Request schema `allocationsPost113` (upstream's, at the microversion in its name). */
export const allocationsPost113 = post(deletable);
/** Request schema `allocationsPost128` (upstream's, at the microversion in its name). */
export const allocationsPost128 = post(allocationPut128);
/** Request schema `allocationsPost134` (upstream's, at the microversion in its name). */
export const allocationsPost134 = post(allocationPut134);
/** Request schema `allocationsPost138` (upstream's, at the microversion in its name). */
export const allocationsPost138 = post(allocationPut138);

/** Request schema `usagesQuery19` (upstream's, at the microversion in its name). */
export const usagesQuery19: Schema = {
  type: 'object',
  properties: { project_id: externalId, user_id: externalId },
  required: ['project_id'],
  additionalProperties: false,
};
/** Request schema `usagesQuery138` (upstream's, at the microversion in its name). */
export const usagesQuery138: Schema = {
  ...clone(usagesQuery19),
  properties: {
    ...clone(usagesQuery19.properties as object),
    consumer_type: { type: 'string', pattern: '^[A-Z0-9_]+$|^all|^unknown$', minLength: 1, maxLength: 255 },
  },
};

const reshaperInventories = {
  type: 'object',
  patternProperties: { [UUID]: inventoriesPut },
  minProperties: 1,
  additionalProperties: false,
};
const reshaper = (allocations: Schema): Schema => ({
  type: 'object',
  properties: { inventories: reshaperInventories, allocations: { ...clone(allocations), minProperties: 0 } },
  required: ['inventories', 'allocations'],
  additionalProperties: false,
});
/** Request schema `reshaper130` (upstream's, at the microversion in its name). */
export const reshaper130 = reshaper(allocationsPost128);
/** Request schema `reshaper134` (upstream's, at the microversion in its name). */
export const reshaper134 = reshaper(allocationsPost134);
/** Request schema `reshaper138` (upstream's, at the microversion in its name). */
export const reshaper138 = reshaper(allocationsPost138);
