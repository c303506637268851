import type { JsonSchema } from '@nimbus/http';

const id = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' };
const nullableId = { ...id, type: ['string', 'null'] };
const userName = { type: 'string', minLength: 1, maxLength: 255, pattern: '[\\S]+' };
const groupName = { type: 'string', minLength: 1, maxLength: 64, pattern: '[\\S]+' };
const boolOrNull = { type: ['boolean', 'null'] };
/** Keystone's user options registry. */
const userOptions = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ignore_change_password_upon_first_use: boolOrNull,
    ignore_password_expiry: boolOrNull,
    ignore_lockout_failure_attempts: boolOrNull,
    lock_password: boolOrNull,
    ignore_user_inactivity: boolOrNull,
    multi_factor_auth_enabled: boolOrNull,
    multi_factor_auth_rules: {
      type: ['array', 'null'],
      items: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
    },
  },
};
const userProperties = {
  default_project_id: nullableId,
  description: { type: ['string', 'null'] },
  domain_id: id,
  enabled: { type: 'boolean' },
  name: userName,
  password: { type: ['string', 'null'] },
  options: userOptions,
};
const groupProperties = { description: { type: ['string', 'null'] }, domain_id: id, name: groupName };
const wrap = (key: string, inner: JsonSchema): JsonSchema => ({
  type: 'object',
  required: [key],
  properties: { [key]: inner },
});

export const createUserBody = wrap('user', {
  type: 'object',
  required: ['name'],
  properties: userProperties,
  additionalProperties: true,
});
export const updateUserBody = wrap('user', {
  type: 'object',
  minProperties: 1,
  properties: userProperties,
  additionalProperties: true,
});
export const changePasswordBody = wrap('user', {
  type: 'object',
  required: ['original_password', 'password'],
  properties: { original_password: { type: 'string' }, password: { type: 'string' } },
  additionalProperties: false,
});
export const createGroupBody = wrap('group', {
  type: 'object',
  required: ['name'],
  properties: groupProperties,
  additionalProperties: true,
});
export const updateGroupBody = wrap('group', {
  type: 'object',
  minProperties: 1,
  properties: groupProperties,
  additionalProperties: true,
});
