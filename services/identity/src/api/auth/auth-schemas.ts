import type { JsonSchema } from '@nimbus/http';

const idName = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } };

/** `POST /v3/auth/tokens`, as Keystone's schema accepts it (extra members allowed, as upstream). */
export const tokenIssueBody: JsonSchema = {
  type: 'object',
  required: ['auth'],
  properties: {
    auth: {
      type: 'object',
      required: ['identity'],
      properties: {
        identity: {
          type: 'object',
          required: ['methods'],
          properties: {
            methods: { type: 'array', items: { type: 'string' } },
            password: {
              type: 'object',
              properties: {
                user: {
                  type: 'object',
                  anyOf: [{ required: ['id'] }, { required: ['name'] }],
                  properties: {
                    id: { type: 'string' },
                    name: { type: 'string' },
                    password: { type: 'string' },
                    domain: { ...idName, anyOf: [{ required: ['id'] }, { required: ['name'] }] },
                  },
                },
              },
            },
            token: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
          },
        },
        scope: {
          type: ['object', 'string'],
          properties: {
            project: {
              type: 'object',
              anyOf: [{ required: ['id'] }, { required: ['name'] }],
              properties: {
                id: { type: 'string' },
                name: { type: 'string' },
                domain: { ...idName, anyOf: [{ required: ['id'] }, { required: ['name'] }] },
              },
            },
            domain: { ...idName, anyOf: [{ required: ['id'] }, { required: ['name'] }] },
            'OS-TRUST:trust': { type: 'object', properties: { id: { type: 'string' } } },
            system: { type: 'object', properties: { all: { type: 'boolean' } } },
          },
        },
      },
    },
  },
};

/** Query of token validation: `nocatalog` and `allow_expired`. */
export const tokenQuery: JsonSchema = {
  type: 'object',
  properties: { nocatalog: { type: 'string' }, allow_expired: { type: 'string' } },
};
