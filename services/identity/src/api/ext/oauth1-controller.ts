import { respond, route } from '@nimbus/http';
import type { AccessTokenRecord, ConsumerRecord } from '../../db/ext/oauth1-repository';
import { PlainNotFound } from '../../manager/ext/ext-errors';
import { signedOAuthRequest } from '../oauth-signed-request';
import { callerOf, collection, type ExtRequest, ext, splitExtra, types, v3Url } from './ext-support';

const O = '/v3/OS-OAUTH1';
const consumerProps = { description: types.nullableDescription };
const createConsumerBody = {
  type: 'object',
  properties: { consumer: { type: 'object', properties: consumerProps, additionalProperties: true } },
};
const updateConsumerBody = {
  type: 'object',
  required: ['consumer'],
  properties: {
    consumer: {
      type: 'object',
      properties: consumerProps,
      not: { required: ['secret'] },
      minProperties: 1,
      additionalProperties: true,
    },
  },
};
const authorizeBody = {
  type: 'object',
  properties: {
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
};

function consumerView(req: ExtRequest, c: ConsumerRecord, withSecret = false): Record<string, unknown> {
  const view: Record<string, unknown> = {
    ...c.extra,
    id: c.id,
    description: c.description,
    links: { self: v3Url(req, `/OS-OAUTH1/consumers/${c.id}`) },
  };
  if (withSecret) view.secret = c.secret;
  return view;
}

function accessTokenView(req: ExtRequest, a: AccessTokenRecord): Record<string, unknown> {
  const base = `/users/${a.authorizingUserId}/OS-OAUTH1/access_tokens/${a.id}`;
  return {
    id: a.id,
    consumer_id: a.consumerId,
    authorizing_user_id: a.authorizingUserId,
    project_id: a.projectId,
    expires_at: a.expiresAt,
    links: { self: v3Url(req, base), roles: v3Url(req, `${base}/roles`) },
  };
}

function formReply(token: { id: string; secret: string; expiresAt: string | null }) {
  let text = `oauth_token=${token.id}&oauth_token_secret=${token.secret}`;
  if (token.expiresAt) text += `&oauth_expires_at=${token.expiresAt}`;
  return respond(201, text, { 'content-type': 'application/x-www-form-urlencoded' });
}

async function roleOf(req: ExtRequest, roleId: string): Promise<Record<string, unknown>> {
  const r = await ext(req).core.getRole(roleId);
  if (!r) throw new PlainNotFound(`Could not find role: ${roleId}.`, 'IDENTITY_ROLE_NOT_FOUND');
  return {
    id: r.id,
    name: r.name,
    domain_id: r.domainId,
    options: r.options,
    links: { self: v3Url(req, `/roles/${r.id}`) },
  };
}

const consumerRoutes = [
  route('GET', `${O}/consumers`, async (req: ExtRequest) => {
    req.authorize('identity:list_consumers', {});
    return collection(
      req,
      'consumers',
      (await ext(req).oauth1.listConsumers()).map((c) => consumerView(req, c)),
    );
  }),
  route(
    'POST',
    `${O}/consumers`,
    async (req: ExtRequest) => {
      req.authorize('identity:create_consumer', {});
      const b = ((req.body as Record<string, unknown> | undefined)?.consumer ?? {}) as Record<
        string,
        unknown
      >;
      const c = await ext(req).oauth1.createConsumer({
        description: b.description as string | null | undefined,
        extra: splitExtra(b, ['id', 'description', 'secret', 'links']),
      });
      return respond(201, { consumer: consumerView(req, c, true) });
    },
    { body: createConsumerBody },
  ),
  route('GET', `${O}/consumers/:consumer_id`, async (req: ExtRequest) => {
    req.authorize('identity:get_consumer', {});
    return { consumer: consumerView(req, await ext(req).oauth1.getConsumer(req.params.consumer_id!)) };
  }),
  route(
    'PATCH',
    `${O}/consumers/:consumer_id`,
    async (req: ExtRequest) => {
      req.authorize('identity:update_consumer', {});
      const b = req.body.consumer as Record<string, unknown>;
      const c = await ext(req).oauth1.updateConsumer(req.params.consumer_id!, {
        description: b.description as string | null | undefined,
        extra: splitExtra(b, ['id', 'description', 'secret', 'links']),
      });
      return { consumer: consumerView(req, c) };
    },
    { body: updateConsumerBody },
  ),
  route('DELETE', `${O}/consumers/:consumer_id`, async (req: ExtRequest) => {
    req.authorize('identity:delete_consumer', {});
    await ext(req).oauth1.deleteConsumer(req.params.consumer_id!);
  }),
];

const flowRoutes = [
  route(
    'POST',
    `${O}/request_token`,
    async (req: ExtRequest) => {
      const project = req.headers['requested-project-id'];
      return formReply(
        await ext(req).oauth1.createRequestToken(
          signedOAuthRequest(req),
          typeof project === 'string' ? project : undefined,
        ),
      );
    },
    { public: true },
  ),
  route(
    'PUT',
    `${O}/authorize/:request_token_id`,
    async (req: ExtRequest) => {
      req.authorize('identity:authorize_request_token', {});
      const roles = ((req.body as Record<string, unknown> | undefined)?.roles ?? []) as {
        id?: string;
        name?: string;
      }[];
      const verifier = await ext(req).oauth1.authorizeRequestToken(
        req.params.request_token_id!,
        roles,
        callerOf(req.credentials),
      );
      return { token: { oauth_verifier: verifier } };
    },
    { body: authorizeBody },
  ),
  route(
    'POST',
    `${O}/access_token`,
    async (req: ExtRequest) => formReply(await ext(req).oauth1.createAccessToken(signedOAuthRequest(req))),
    { public: true },
  ),
];

const U = '/v3/users/:user_id/OS-OAUTH1/access_tokens';
const accessTokenRoutes = [
  route('GET', U, async (req: ExtRequest) => {
    req.authorize('identity:list_access_tokens', { user_id: req.params.user_id });
    const tokens = await ext(req).oauth1.listAccessTokens(req.params.user_id!, callerOf(req.credentials));
    return collection(
      req,
      'access_tokens',
      tokens.map((a) => accessTokenView(req, a)),
    );
  }),
  route('GET', `${U}/:access_token_id`, async (req: ExtRequest) => {
    req.authorize('identity:get_access_token', { user_id: req.params.user_id });
    return {
      access_token: accessTokenView(
        req,
        await ext(req).oauth1.getAccessToken(req.params.user_id!, req.params.access_token_id!),
      ),
    };
  }),
  route('DELETE', `${U}/:access_token_id`, async (req: ExtRequest) => {
    // Keystone guards this call with the EC2 credential deletion rule.
    req.authorize('identity:ec2_delete_credential', { user_id: req.params.user_id });
    await ext(req).oauth1.deleteAccessToken(req.params.user_id!, req.params.access_token_id!);
  }),
  route('GET', `${U}/:access_token_id/roles`, async (req: ExtRequest) => {
    req.authorize('identity:list_access_token_roles', { user_id: req.params.user_id });
    const a = await ext(req).oauth1.getAccessToken(req.params.user_id!, req.params.access_token_id!);
    return collection(req, 'roles', await Promise.all(a.roleIds.map((id) => roleOf(req, id))));
  }),
  route('GET', `${U}/:access_token_id/roles/:role_id`, async (req: ExtRequest) => {
    req.authorize('identity:get_access_token_role', { user_id: req.params.user_id });
    const a = await ext(req).oauth1.getAccessToken(req.params.user_id!, req.params.access_token_id!);
    if (!a.roleIds.includes(req.params.role_id!))
      throw new PlainNotFound(`Could not find role: ${req.params.role_id}.`, 'IDENTITY_ROLE_NOT_FOUND');
    return { role: await roleOf(req, req.params.role_id!) };
  }),
];

/** Routes of OS-OAUTH1: consumers, the token flow, and users' access tokens. */
export const oauth1Routes = [...consumerRoutes, ...flowRoutes, ...accessTokenRoutes];
