import { respond, route } from '@nimbus/http';
import type { AccessRuleRecord } from '../../db/ext/application-credential-repository';
import type { ApplicationCredential } from '../../manager/ext/application-credential-manager';
import { PlainNotFound } from '../../manager/ext/ext-errors';
import { pythonIsoformat } from '../../manager/ext/iso-time';
import {
  callerOf,
  collection,
  type ExtRequest,
  ext,
  policyTarget,
  queryValue,
  roleView,
  types,
  v3Url,
} from './ext-support';

const roleRefs = {
  type: 'array',
  items: {
    type: 'object',
    properties: { id: types.idString, name: types.name },
    minProperties: 1,
    maxProperties: 1,
    additionalProperties: false,
  },
};
const accessRules = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 0, maxLength: 225, pattern: '^\\/.*' },
      method: { type: 'string', pattern: '^(POST|GET|HEAD|PATCH|PUT|DELETE)$' },
      service: types.idString,
      id: types.idString,
    },
    additionalProperties: false,
  },
};
const createBody = {
  type: 'object',
  required: ['application_credential'],
  properties: {
    application_credential: {
      type: 'object',
      required: ['name'],
      additionalProperties: true,
      properties: {
        name: types.name,
        description: types.nullableDescription,
        secret: { type: ['null', 'string'] },
        expires_at: { type: ['null', 'string'] },
        roles: roleRefs,
        unrestricted: types.boolean,
        access_rules: accessRules,
      },
    },
  },
};

function accessRuleView(r: AccessRuleRecord): Record<string, unknown> {
  return { id: r.id, service: r.service, path: r.path, method: r.method };
}

function appCredView(req: ExtRequest, a: ApplicationCredential, full: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: a.id,
    name: a.name,
    description: a.description,
    expires_at: a.expiresAt ? pythonIsoformat(a.expiresAt) : null,
    project_id: a.projectId,
    roles: a.roles.map((r) => roleView(req, r)),
    unrestricted: a.unrestricted,
    access_rules: a.accessRules.map(accessRuleView),
    links: { self: v3Url(req, `/users/${a.userId}/application_credentials/${a.id}`) },
  };
  if (full) Object.assign(view, { user_id: a.userId, system: a.system });
  if (a.secret !== undefined) view.secret = a.secret;
  return view;
}

async function listAppCreds(req: ExtRequest) {
  const userId = req.params.user_id!;
  req.authorize('identity:list_application_credentials', { user_id: userId });
  const name = queryValue(req, 'name');
  const list = await ext(req).applicationCredentials.list(userId, name !== undefined ? { name } : {});
  return collection(
    req,
    'application_credentials',
    list.map((a) => appCredView(req, a, false)),
  );
}

async function createAppCred(req: ExtRequest) {
  const userId = req.params.user_id!;
  req.authorize('identity:create_application_credential', { user_id: userId });
  const b = req.body.application_credential as Record<string, any>;
  const a = await ext(req).applicationCredentials.create(
    userId,
    {
      name: b.name,
      description: b.description,
      secret: b.secret,
      expiresAt: b.expires_at,
      roles: b.roles,
      unrestricted: b.unrestricted,
      accessRules: b.access_rules,
    },
    callerOf(req.credentials),
  );
  return respond(201, { application_credential: appCredView(req, a, false) });
}

/**
 * Keystone reads the credential first and checks policy against its real owner; when it does not
 * exist, against the user in the path, and answers 404 only after the check passed.
 */
async function ownerOf(req: ExtRequest): Promise<{ owner: string; found: boolean }> {
  const rec = await ext(req).applicationCredentials.find(req.params.application_credential_id!);
  return rec ? { owner: rec.userId, found: true } : { owner: req.params.user_id!, found: false };
}

function appCredNotFound(req: ExtRequest): PlainNotFound {
  const id = req.params.application_credential_id!;
  return new PlainNotFound(`Could not find Application Credential: ${id}.`, 'IDENTITY_APP_CRED_NOT_FOUND');
}

async function getAppCred(req: ExtRequest) {
  const { owner, found } = await ownerOf(req);
  req.authorize('identity:get_application_credential', { user_id: owner });
  if (!found) throw appCredNotFound(req);
  return {
    application_credential: appCredView(
      req,
      await ext(req).applicationCredentials.get(owner, req.params.application_credential_id!),
      true,
    ),
  };
}

async function deleteAppCred(req: ExtRequest) {
  const { owner, found } = await ownerOf(req);
  req.authorize('identity:delete_application_credential', { user_id: owner });
  if (!found) throw appCredNotFound(req);
  await ext(req).applicationCredentials.delete(
    owner,
    req.params.application_credential_id!,
    callerOf(req.credentials),
  );
}

async function userTarget(req: ExtRequest): Promise<Record<string, unknown>> {
  const user = await ext(req).core.getUser(req.params.user_id!);
  return user ? policyTarget({ user: { id: user.id, domain_id: user.domainId, name: user.name } }) : {};
}

async function listAccessRules(req: ExtRequest) {
  req.authorize('identity:list_access_rules', await userTarget(req));
  const filter: { service?: string; path?: string; method?: string } = {};
  for (const k of ['service', 'path', 'method'] as const) {
    const v = queryValue(req, k);
    if (v !== undefined) filter[k] = v;
  }
  const rules = await ext(req).applicationCredentials.listAccessRules(req.params.user_id!, filter);
  return collection(
    req,
    'access_rules',
    rules.map((r) => ({
      ...accessRuleView(r),
      links: { self: v3Url(req, `/users/${r.userId}/access_rules/${r.id}`) },
    })),
  );
}

async function getAccessRule(req: ExtRequest) {
  req.authorize('identity:get_access_rule', await userTarget(req));
  const r = await ext(req).applicationCredentials.getAccessRule(
    req.params.user_id!,
    req.params.access_rule_id!,
  );
  return {
    access_rule: {
      ...accessRuleView(r),
      links: { self: v3Url(req, `/users/${r.userId}/access_rules/${r.id}`) },
    },
  };
}

async function deleteAccessRule(req: ExtRequest) {
  req.authorize('identity:delete_access_rule', await userTarget(req));
  await ext(req).applicationCredentials.deleteAccessRule(req.params.user_id!, req.params.access_rule_id!);
}

/** Routes of application credentials and access rules. */
export const applicationCredentialRoutes = [
  route('GET', '/v3/users/:user_id/application_credentials', listAppCreds),
  route('POST', '/v3/users/:user_id/application_credentials', createAppCred, { body: createBody }),
  route('GET', '/v3/users/:user_id/application_credentials/:application_credential_id', getAppCred),
  route('DELETE', '/v3/users/:user_id/application_credentials/:application_credential_id', deleteAppCred),
  route('GET', '/v3/users/:user_id/access_rules', listAccessRules),
  route('GET', '/v3/users/:user_id/access_rules/:access_rule_id', getAccessRule),
  route('DELETE', '/v3/users/:user_id/access_rules/:access_rule_id', deleteAccessRule),
];
