import type { JsonSchema } from '@nimbus/http';

const wrap = (key: string, inner: JsonSchema): JsonSchema => ({
  type: 'object',
  required: [key],
  properties: { [key]: inner },
});
const url = { type: 'string', minLength: 0, maxLength: 225, pattern: '^[a-zA-Z0-9+.-]+:.+' };
const regionProps = {
  description: { type: ['string', 'null'] },
  parent_region_id: { type: ['string', 'null'] },
};
const serviceProps = {
  enabled: { type: 'boolean' },
  name: { type: 'string', minLength: 0, maxLength: 255 },
  type: { type: 'string', minLength: 1, maxLength: 255 },
  description: { type: ['string', 'null'] },
};
const endpointProps = {
  enabled: { type: 'boolean' },
  interface: { type: 'string', enum: ['admin', 'internal', 'public'] },
  region_id: { type: ['string', 'null'] },
  region: { type: ['string', 'null'] },
  service_id: { type: 'string' },
  url,
};

export const createRegionBody = wrap('region', {
  type: 'object',
  properties: { ...regionProps, id: { type: 'string' } },
  additionalProperties: true,
});
export const updateRegionBody = wrap('region', {
  type: 'object',
  minProperties: 1,
  properties: regionProps,
  additionalProperties: true,
});
export const createServiceBody = wrap('service', {
  type: 'object',
  required: ['type'],
  properties: serviceProps,
  additionalProperties: true,
});
export const updateServiceBody = wrap('service', {
  type: 'object',
  minProperties: 1,
  properties: serviceProps,
  additionalProperties: true,
});
export const createEndpointBody = wrap('endpoint', {
  type: 'object',
  required: ['interface', 'service_id', 'url'],
  properties: endpointProps,
  additionalProperties: true,
});
export const updateEndpointBody = wrap('endpoint', {
  type: 'object',
  minProperties: 1,
  properties: endpointProps,
  additionalProperties: true,
});
