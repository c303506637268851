const text = { type: ['string', 'null'], maxLength: 255 };
const uuid = { type: 'string', format: 'uuid' };

/** `POST /os-volumes` (Nova's schema: size required, positive). */
export const createProxyVolumeBody = {
  type: 'object',
  required: ['volume'],
  properties: {
    volume: {
      type: 'object',
      required: ['size'],
      properties: {
        volume_type: { type: ['string', 'null'] },
        metadata: { type: 'object', additionalProperties: { type: 'string', maxLength: 255 } },
        snapshot_id: { ...uuid, type: ['string', 'null'] },
        size: { type: ['integer', 'string'], pattern: '^[0-9]+$', minimum: 1 },
        availability_zone: { type: ['string', 'null'] },
        display_name: text,
        display_description: text,
        imageRef: { type: ['string', 'null'] },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};

/** `POST /os-snapshots`. */
export const createProxySnapshotBody = {
  type: 'object',
  required: ['snapshot'],
  properties: {
    snapshot: {
      type: 'object',
      required: ['volume_id'],
      properties: {
        volume_id: { type: 'string' },
        force: {
          type: ['boolean', 'string'],
          enum: [true, false, 'True', 'False', 'true', 'false', '1', '0', 'yes', 'no', 'on', 'off'],
        },
        display_name: text,
        display_description: text,
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};
