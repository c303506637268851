import { BadRequestError, ForbiddenError } from '@nimbus/errors';
import { respond, route, type Route } from '@nimbus/http';
import type { AuthDirectory } from '../../manager/auth/auth-directory';
import type { AuthManager } from '../../manager/auth/auth-manager';
import type { AuthRequest } from '../../manager/auth/auth-request';
import type { TokenRenderer } from '../../manager/auth/token-renderer';
import type { RevocationManager } from '../../manager/revocation/revocation-manager';
import type { TokenProvider, ValidatedToken } from '../../manager/token/token-provider';
import { collection, type IdentityRequest, queryTruthy, v3Url } from '../keystone-api';
import { signedOAuthRequest } from '../oauth-signed-request';
import { tokenIssueBody, tokenQuery } from './auth-schemas';
import { keystoneTime } from './token-view';

/** What the token and `/v3/auth/*` controllers read of `req.services`. */
export interface AuthServices {
  auth: {
    manager: AuthManager;
    tokens: TokenProvider;
    renderer: TokenRenderer;
    revocations: RevocationManager;
    directory: AuthDirectory;
  };
}

type Req<B = unknown> = IdentityRequest<B, AuthServices>;

const SUBJECT = 'x-subject-token';

function subjectToken(req: Req): string {
  const v = req.headers[SUBJECT];
  const token = Array.isArray(v) ? v[0] : v;
  if (!token)
    throw new BadRequestError(
      'Expecting to find X-Subject-Token in request headers. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.',
    );
  return token;
}

/** Validates the subject token, then checks the caller may see it (token_subject reads its user). */
async function validateSubject(req: Req, action: string): Promise<ValidatedToken> {
  const allowExpired =
    req.query.allow_expired !== undefined &&
    queryTruthy(String(req.query.allow_expired)) &&
    req.query.allow_expired !== '';
  const v = await req.services.auth.tokens.validate(subjectToken(req), { allowExpired });
  req.authorize(action, { target: { token: { user_id: v.payload.userId } } });
  return v;
}

async function issueToken(req: Req<{ auth: AuthRequest }>) {
  const { auth } = req.services;
  const issued = await auth.manager.issue(req.body.auth, signedOAuthRequest(req));
  const v = await auth.tokens.described(issued);
  const described = await auth.renderer.describe(v, req.query.nocatalog === undefined);
  return respond(201, auth.renderer.body(described), { 'x-subject-token': issued.token });
}

async function validateToken(req: Req) {
  const v = await validateSubject(req, 'identity:validate_token');
  const described = await req.services.auth.renderer.describe(v, req.query.nocatalog === undefined);
  return respond(200, req.services.auth.renderer.body(described), { 'x-subject-token': v.token });
}

async function checkToken(req: Req) {
  const v = await validateSubject(req, 'identity:check_token');
  return respond(200, undefined, { 'x-subject-token': v.token });
}

async function revokeToken(req: Req) {
  const v = await validateSubject(req, 'identity:revoke_token');
  await req.services.auth.revocations.revoke({ auditId: v.payload.auditIds[0]! });
}

async function authCatalog(req: Req) {
  req.authorize('identity:get_auth_catalog', {});
  const c = req.credentials;
  if (!c.projectId)
    throw new ForbiddenError('A project-scoped token is required to produce a service catalog.');
  return {
    catalog: await req.services.auth.renderer.catalog(c.projectId),
    links: { self: v3Url(req, '/auth/catalog') },
  };
}

async function authProjects(req: Req) {
  req.authorize('identity:get_auth_projects', {});
  const projects = await req.services.auth.directory.projectsForUser(req.credentials.userId);
  return collection(
    req,
    'projects',
    projects.map((p) => ({
      id: p.id,
      name: p.name,
      domain_id: p.domainId,
      enabled: p.enabled,
      is_domain: p.isDomain,
      links: { self: v3Url(req, `/projects/${p.id}`) },
    })),
  );
}

async function authDomains(req: Req) {
  req.authorize('identity:get_auth_domains', {});
  const domains = await req.services.auth.directory.domainsForUser(req.credentials.userId);
  return collection(
    req,
    'domains',
    domains.map((d) => ({
      id: d.id,
      name: d.name,
      enabled: d.enabled,
      links: { self: v3Url(req, `/domains/${d.id}`) },
    })),
  );
}

async function authSystem(req: Req) {
  req.authorize('identity:get_auth_system', {});
  const roles = await req.services.auth.directory.roleIds(req.credentials.userId, { system: true });
  return { system: roles.length ? [{ all: true }] : [], links: { self: v3Url(req, '/auth/system') } };
}

async function revokeEvents(req: Req) {
  req.authorize('identity:list_revoke_events', {});
  const since = req.query.since === undefined ? undefined : Date.parse(String(req.query.since)) / 1000;
  if (since !== undefined && Number.isNaN(since)) throw new BadRequestError('Invalid time format for since.');
  const events = await req.services.auth.revocations.list(since);
  return {
    events: events.map((e) => {
      const out: Record<string, unknown> = { issued_before: keystoneTime(e.issuedBefore) };
      const keys: [keyof typeof e, string][] = [
        ['userId', 'user_id'],
        ['projectId', 'project_id'],
        ['domainId', 'domain_id'],
        ['roleId', 'role_id'],
        ['trustId', 'OS-TRUST:trust_id'],
        ['consumerId', 'OS-OAUTH1:consumer_id'],
        ['accessTokenId', 'OS-OAUTH1:access_token_id'],
        ['auditId', 'audit_id'],
        ['auditChainId', 'audit_chain_id'],
      ];
      for (const [k, name] of keys) if (e[k] !== undefined) out[name] = e[k];
      return out;
    }),
    links: { self: v3Url(req, '/OS-REVOKE/events'), previous: null, next: null },
  };
}

/** Token issue, validation and revocation, `/v3/auth/*` and `/v3/OS-REVOKE/events`. */
export const authRoutes: Route[] = [
  route('POST', '/v3/auth/tokens', issueToken, {
    public: true,
    body: tokenIssueBody,
    query: tokenQuery,
    status: 201,
  }),
  route('GET', '/v3/auth/tokens', validateToken, { query: tokenQuery }),
  route('HEAD', '/v3/auth/tokens', checkToken, { query: tokenQuery }),
  route('DELETE', '/v3/auth/tokens', revokeToken),
  route('GET', '/v3/auth/catalog', authCatalog),
  route('GET', '/v3/auth/projects', authProjects),
  route('GET', '/v3/auth/domains', authDomains),
  route('GET', '/v3/auth/system', authSystem),
  route('GET', '/v3/OS-REVOKE/events', revokeEvents),
];
