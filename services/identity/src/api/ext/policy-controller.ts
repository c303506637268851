import { BadRequestError } from '@nimbus/errors';
import { respond, route } from '@nimbus/http';
import type { PolicyBlobRecord } from '../../db/ext/policy-blob-repository';
import { collection, type ExtRequest, ext, queryValue, splitExtra, v3Url } from './ext-support';

const props = { blob: { type: 'string' }, type: { type: 'string', maxLength: 255 } };
const createBody = {
  type: 'object',
  required: ['policy'],
  properties: {
    policy: { type: 'object', properties: props, required: ['blob', 'type'], additionalProperties: true },
  },
};
const updateBody = {
  type: 'object',
  required: ['policy'],
  properties: { policy: { type: 'object', properties: props, minProperties: 1, additionalProperties: true } },
};
const KNOWN = ['id', 'blob', 'type', 'links'];

/** A policy blob as Keystone renders it. */
export function policyView(req: ExtRequest, p: PolicyBlobRecord): Record<string, unknown> {
  return {
    ...p.extra,
    id: p.id,
    type: p.type,
    blob: p.blob,
    links: { self: v3Url(req, `/policies/${p.id}`) },
  };
}

async function createPolicy(req: ExtRequest) {
  req.authorize('identity:create_policy', {});
  const b = req.body.policy as Record<string, any>;
  const p = await ext(req).policies.create({ type: b.type, blob: b.blob, extra: splitExtra(b, KNOWN) });
  return respond(201, { policy: policyView(req, p) });
}

async function listPolicies(req: ExtRequest) {
  req.authorize('identity:list_policies', {});
  const type = queryValue(req, 'type');
  return collection(
    req,
    'policies',
    (await ext(req).policies.list(type !== undefined ? { type } : {})).map((p) => policyView(req, p)),
  );
}

async function getPolicy(req: ExtRequest) {
  req.authorize('identity:get_policy', {});
  return { policy: policyView(req, await ext(req).policies.get(req.params.policy_id!)) };
}

async function updatePolicy(req: ExtRequest) {
  req.authorize('identity:update_policy', {});
  const b = req.body.policy as Record<string, any>;
  if (b.id !== undefined && b.id !== req.params.policy_id)
    throw new BadRequestError('Cannot change ID', { code: 'IDENTITY_VALIDATION' });
  const p = await ext(req).policies.update(req.params.policy_id!, {
    type: b.type,
    blob: b.blob,
    extra: splitExtra(b, KNOWN),
  });
  return { policy: policyView(req, p) };
}

async function deletePolicy(req: ExtRequest) {
  req.authorize('identity:delete_policy', {});
  await ext(req).policies.delete(req.params.policy_id!);
}

/** Routes of the legacy /v3/policies resource. */
export const policyRoutes = [
  route('POST', '/v3/policies', createPolicy, { body: createBody }),
  route('GET', '/v3/policies', listPolicies),
  route('GET', '/v3/policies/:policy_id', getPolicy),
  route('PATCH', '/v3/policies/:policy_id', updatePolicy, { body: updateBody }),
  route('DELETE', '/v3/policies/:policy_id', deletePolicy),
];
