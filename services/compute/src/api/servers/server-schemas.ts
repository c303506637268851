const name = { type: 'string', minLength: 1, maxLength: 255, pattern: '^(?![\\s])[\\s\\S]*(?<![\\s])$' };
const metadata = {
  type: 'object',
  patternProperties: { '^[a-zA-Z0-9-_:. ]{1,255}$': { type: 'string', maxLength: 255 } },
  additionalProperties: false,
};
const uuidish = { type: 'string', minLength: 1, maxLength: 255 };

/** `POST /servers` (the options implemented; unknown keys are refused as upstream's schema does). */
export const createServerBody = {
  type: 'object',
  required: ['server'],
  properties: {
    server: {
      type: 'object',
      required: ['name', 'flavorRef'],
      properties: {
        name,
        imageRef: { type: 'string' },
        flavorRef: { type: ['string', 'integer'], minLength: 1 },
        adminPass: { type: 'string' },
        metadata,
        networks: {
          oneOf: [
            {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  fixed_ip: { type: 'string' },
                  port: { type: ['string', 'null'] },
                  uuid: { type: 'string' },
                  tag: { type: 'string', maxLength: 60 },
                },
                additionalProperties: false,
              },
            },
            { type: 'string', enum: ['none', 'auto'] },
          ],
        },
        'OS-DCF:diskConfig': { type: 'string', enum: ['AUTO', 'MANUAL'] },
        accessIPv4: { type: 'string' },
        accessIPv6: { type: 'string' },
        personality: { type: 'array' },
        availability_zone: { type: 'string', minLength: 1, maxLength: 255 },
        block_device_mapping: { type: 'array' },
        block_device_mapping_v2: { type: 'array' },
        config_drive: { type: ['boolean', 'string'] },
        key_name: { type: 'string', minLength: 1, maxLength: 255 },
        min_count: { type: ['integer', 'string'], pattern: '^[0-9]*$' },
        max_count: { type: ['integer', 'string'], pattern: '^[0-9]*$' },
        return_reservation_id: { type: ['boolean', 'string'] },
        security_groups: {
          type: 'array',
          minItems: 1,
          items: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false },
        },
        user_data: { type: 'string', maxLength: 65535 },
        description: { type: ['string', 'null'], maxLength: 255 },
        tags: {
          type: 'array',
          items: { type: 'string', minLength: 1, maxLength: 60, pattern: '^[^,/]*$' },
          maxItems: 50,
        },
        trusted_image_certificates: { type: ['array', 'null'] },
        host: { type: 'string' },
        hypervisor_hostname: { type: 'string' },
        hostname: { type: 'string', minLength: 1, maxLength: 255 },
      },
      additionalProperties: false,
    },
    'os:scheduler_hints': { type: 'object' },
    'OS-SCH-HNT:scheduler_hints': { type: 'object' },
  },
  additionalProperties: false,
};

/** `PUT /servers/{id}`. */
export const updateServerBody = {
  type: 'object',
  required: ['server'],
  properties: {
    server: {
      type: 'object',
      properties: {
        name,
        accessIPv4: { type: 'string' },
        accessIPv6: { type: 'string' },
        'OS-DCF:diskConfig': { type: 'string', enum: ['AUTO', 'MANUAL'] },
        description: { type: ['string', 'null'], maxLength: 255 },
        hostname: { type: 'string', minLength: 1, maxLength: 255 },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};

/** `POST /servers/{id}/action`: one action key; each action validates its own value. */
export const serverActionBody = { type: 'object', minProperties: 1, maxProperties: 1 };

/** Metadata bodies. */
export const metadataBody = {
  type: 'object',
  required: ['metadata'],
  properties: { metadata },
  additionalProperties: false,
};
export const metaItemBody = {
  type: 'object',
  required: ['meta'],
  properties: { meta: { ...metadata, minProperties: 1, maxProperties: 1 } },
  additionalProperties: false,
};
export const tagsBody = {
  type: 'object',
  required: ['tags'],
  properties: {
    tags: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 60, pattern: '^[^,/]*$' },
      maxItems: 50,
    },
  },
  additionalProperties: false,
};
export const externalEventsBody = {
  type: 'object',
  required: ['events'],
  properties: {
    events: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'server_uuid'],
        properties: {
          name: {
            type: 'string',
            enum: [
              'network-changed',
              'network-vif-plugged',
              'network-vif-unplugged',
              'network-vif-deleted',
              'volume-extended',
              'power-update',
              'accelerator-request-bound',
              'volume-reimaged',
            ],
          },
          server_uuid: uuidish,
          status: { type: 'string', enum: ['failed', 'completed', 'in-progress'] },
          tag: { type: 'string', maxLength: 255 },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
};
