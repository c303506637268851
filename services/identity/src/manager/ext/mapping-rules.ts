import { BadRequestError } from '@nimbus/errors';
import { Ajv, type ErrorObject } from 'ajv';

const roleList = {
  type: 'array',
  items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
};
const matcher = (key: string) => ({
  type: 'object',
  additionalProperties: false,
  required: ['type', key],
  properties: { type: { type: 'string' }, [key]: { type: 'array' }, regex: { type: 'boolean' } },
});

/** The structure Keystone accepts for mapping rules (its MAPPING_SCHEMA). */
export const mappingSchema = {
  type: 'object',
  required: ['rules'],
  properties: {
    rules: {
      minItems: 1,
      type: 'array',
      items: {
        type: 'object',
        required: ['local', 'remote'],
        additionalProperties: false,
        properties: {
          local: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                user: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    name: { type: 'string' },
                    email: { type: 'string' },
                    domain: { $ref: '#/definitions/domain' },
                    type: { type: 'string', enum: ['ephemeral', 'local'] },
                  },
                  additionalProperties: false,
                },
                projects: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['name', 'roles'],
                    additionalProperties: false,
                    properties: { name: { type: 'string' }, roles: roleList },
                  },
                },
                group: {
                  type: 'object',
                  oneOf: [{ $ref: '#/definitions/group_by_id' }, { $ref: '#/definitions/group_by_name' }],
                },
                groups: { type: 'string' },
                group_ids: { type: 'string' },
                domain: { $ref: '#/definitions/domain' },
              },
            },
          },
          remote: {
            minItems: 1,
            type: 'array',
            items: {
              type: 'object',
              oneOf: [
                { $ref: '#/definitions/empty' },
                { $ref: '#/definitions/any_one_of' },
                { $ref: '#/definitions/not_any_of' },
                { $ref: '#/definitions/blacklist' },
                { $ref: '#/definitions/whitelist' },
              ],
            },
          },
        },
      },
    },
  },
  definitions: {
    empty: {
      type: 'object',
      required: ['type'],
      properties: { type: { type: 'string' } },
      additionalProperties: false,
    },
    any_one_of: matcher('any_one_of'),
    not_any_of: matcher('not_any_of'),
    blacklist: matcher('blacklist'),
    whitelist: matcher('whitelist'),
    domain: {
      type: 'object',
      properties: { id: { type: 'string' }, name: { type: 'string' } },
      additionalProperties: false,
    },
    group_by_id: {
      type: 'object',
      properties: { id: { type: 'string' } },
      additionalProperties: false,
      required: ['id'],
    },
    group_by_name: {
      type: 'object',
      properties: { name: { type: 'string' }, domain: { $ref: '#/definitions/domain' } },
      additionalProperties: false,
      required: ['name', 'domain'],
    },
  },
} as const;

const validate = new Ajv({ allErrors: true, strict: false }).compile(mappingSchema);

function describe(e: ErrorObject): string {
  const at = e.instancePath || '(root)';
  if (e.keyword === 'required')
    return `'${(e.params as { missingProperty: string }).missingProperty}' is a required property`;
  if (e.keyword === 'additionalProperties')
    return `Additional properties are not allowed ('${(e.params as { additionalProperty: string }).additionalProperty}' was unexpected)`;
  return `${at} ${e.message ?? 'is not valid'}`;
}

/**
 * Checks a mapping document's structure as Keystone does; a failure is a 400 listing every
 * problem found, one per line.
 */
export function validateMappingRules(doc: unknown): void {
  if (validate(doc)) return;
  const messages = [
    ...new Set(
      (validate.errors ?? []).filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if').map(describe),
    ),
  ].sort();
  throw new BadRequestError(`${messages.join('\n')}\n`, { code: 'IDENTITY_MAPPING_INVALID' });
}
