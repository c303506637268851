import { respond, route } from '@nimbus/http';
import { PlainNotFound } from '../../manager/ext/ext-errors';
import type { Trust } from '../../manager/ext/trust-manager';
import {
  callerOf,
  collection,
  type ExtRequest,
  ext,
  policyTarget,
  queryValue,
  roleView,
  splitExtra,
  types,
  v3Url,
} from './ext-support';

const externalId = { type: 'string', minLength: 1, maxLength: 64 };
const createBody = {
  type: 'object',
  required: ['trust'],
  properties: {
    trust: {
      type: 'object',
      required: ['trustor_user_id', 'trustee_user_id', 'impersonation'],
      additionalProperties: true,
      properties: {
        trustor_user_id: externalId,
        trustee_user_id: externalId,
        impersonation: types.boolean,
        project_id: { anyOf: [types.idString, { type: 'null' }] },
        remaining_uses: { type: ['integer', 'null'], minimum: 1 },
        expires_at: { type: ['null', 'string'] },
        allow_redelegation: { type: ['boolean', 'null'] },
        redelegation_count: { type: ['integer', 'null'], minimum: 0 },
        roles: {
          type: 'array',
          items: {
            type: 'object',
            properties: { id: types.idString, name: types.name },
            minProperties: 1,
            maxProperties: 1,
            additionalProperties: false,
          },
        },
      },
    },
  },
};

const KNOWN = [
  'id',
  'trustor_user_id',
  'trustee_user_id',
  'impersonation',
  'project_id',
  'remaining_uses',
  'expires_at',
  'allow_redelegation',
  'redelegation_count',
  'roles',
  'links',
  'roles_links',
];

function trustView(req: ExtRequest, t: Trust, withRoles: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = {
    ...t.extra,
    id: t.id,
    trustor_user_id: t.trustorUserId,
    trustee_user_id: t.trusteeUserId,
    project_id: t.projectId,
    impersonation: t.impersonation,
    expires_at: t.expiresAt,
    remaining_uses: t.remainingUses,
    redelegated_trust_id: t.redelegatedTrustId,
    redelegation_count: t.redelegationCount,
    links: { self: v3Url(req, `/OS-TRUST/trusts/${t.id}`) },
  };
  if (withRoles) {
    view.roles = t.roles.map((r) => roleView(req, r));
    view.roles_links = { self: v3Url(req, `/OS-TRUST/trusts/${t.id}/roles`), next: null, previous: null };
  }
  return view;
}

function trustTarget(t: Trust): Record<string, unknown> {
  return policyTarget({
    trust: {
      id: t.id,
      trustor_user_id: t.trustorUserId,
      trustee_user_id: t.trusteeUserId,
      project_id: t.projectId,
    },
  });
}

async function createTrust(req: ExtRequest) {
  const b = req.body.trust as Record<string, any>;
  // Keystone puts the request body beside the target: Zed's rule reads `trust.trustor_user_id`.
  req.authorize('identity:create_trust', { trust: b, target: { trust: b } });
  const t = await ext(req).trusts.create(
    {
      trustorUserId: b.trustor_user_id,
      trusteeUserId: b.trustee_user_id,
      impersonation: b.impersonation,
      projectId: b.project_id,
      roles: b.roles,
      expiresAt: b.expires_at,
      remainingUses: b.remaining_uses,
      allowRedelegation: b.allow_redelegation,
      redelegationCount: b.redelegation_count,
      extra: splitExtra(b, KNOWN),
    },
    callerOf(req.credentials),
  );
  return respond(201, { trust: trustView(req, t, true) });
}

async function listTrusts(req: ExtRequest) {
  const trustor = queryValue(req, 'trustor_user_id');
  const trustee = queryValue(req, 'trustee_user_id');
  let trusts: Trust[];
  if (trustor) {
    req.authorize('identity:list_trusts_for_trustor', policyTarget({ trust: { trustor_user_id: trustor } }));
    trusts = await ext(req).trusts.list({ trustorUserId: trustor });
  } else if (trustee) {
    req.authorize('identity:list_trusts_for_trustee', policyTarget({ trust: { trustee_user_id: trustee } }));
    trusts = await ext(req).trusts.list({ trusteeUserId: trustee });
  } else {
    req.authorize('identity:list_trusts', {});
    trusts = await ext(req).trusts.list();
  }
  return collection(
    req,
    'trusts',
    trusts.map((t) => trustView(req, t, false)),
  );
}

/** The trust of the URL: looked up first, so policy sees its trustor and trustee (404 when unknown). */
async function trustOfUrl(req: ExtRequest): Promise<Trust> {
  return ext(req).trusts.get(req.params.trust_id!);
}

async function getTrust(req: ExtRequest) {
  const t = await trustOfUrl(req);
  req.authorize('identity:get_trust', trustTarget(t));
  return { trust: trustView(req, t, true) };
}

async function deleteTrust(req: ExtRequest) {
  const t = await trustOfUrl(req);
  req.authorize('identity:delete_trust', trustTarget(t));
  await ext(req).trusts.delete(t.id, callerOf(req.credentials));
}

async function listTrustRoles(req: ExtRequest) {
  const t = await trustOfUrl(req);
  req.authorize('identity:list_roles_for_trust', trustTarget(t));
  return {
    roles: t.roles.map((r) => roleView(req, r)),
    links: { self: v3Url(req, `/OS-TRUST/trusts/${t.id}/roles`), next: null, previous: null },
  };
}

async function getTrustRole(req: ExtRequest) {
  const t = await trustOfUrl(req);
  req.authorize('identity:get_role_for_trust', trustTarget(t));
  const role = t.roles.find((r) => r.id === req.params.role_id);
  if (!role)
    throw new PlainNotFound(`Could not find role: ${req.params.role_id}.`, 'IDENTITY_ROLE_NOT_FOUND');
  return { role: roleView(req, role) };
}

/** Routes of OS-TRUST. */
export const trustRoutes = [
  route('POST', '/v3/OS-TRUST/trusts', createTrust, { body: createBody }),
  route('GET', '/v3/OS-TRUST/trusts', listTrusts),
  route('GET', '/v3/OS-TRUST/trusts/:trust_id', getTrust),
  route('DELETE', '/v3/OS-TRUST/trusts/:trust_id', deleteTrust),
  route('GET', '/v3/OS-TRUST/trusts/:trust_id/roles', listTrustRoles),
  route('GET', '/v3/OS-TRUST/trusts/:trust_id/roles/:role_id', getTrustRole),
];
