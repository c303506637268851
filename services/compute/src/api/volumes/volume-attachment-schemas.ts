const uuid = { type: 'string', format: 'uuid' };
const device = { type: ['string', 'null'], pattern: '(^/dev/x{0,1}[a-z]{0,1}d{0,1})([a-z]+)[0-9]*$' };

/**
 * `POST /servers/{id}/os-volume_attachments` (every microversion's keys; the controller refuses
 * `tag` before 2.49 and `delete_on_termination` before 2.79, as upstream's per-version schemas).
 */
export const attachVolumeBody = {
  type: 'object',
  required: ['volumeAttachment'],
  properties: {
    volumeAttachment: {
      type: 'object',
      required: ['volumeId'],
      properties: {
        volumeId: uuid,
        device,
        tag: { type: 'string', minLength: 1, maxLength: 60, pattern: '^[^,/]*$' },
        delete_on_termination: { type: 'boolean' },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};

/** `PUT /servers/{id}/os-volume_attachments/{volume}` (swap; 2.85 adds the other keys). */
export const updateVolumeAttachmentBody = {
  type: 'object',
  required: ['volumeAttachment'],
  properties: {
    volumeAttachment: {
      type: 'object',
      required: ['volumeId'],
      properties: {
        volumeId: uuid,
        device,
        id: uuid,
        serverId: uuid,
        tag: { type: 'string', minLength: 1, maxLength: 60, pattern: '^[^,/]*$' },
        delete_on_termination: { type: 'boolean' },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};
