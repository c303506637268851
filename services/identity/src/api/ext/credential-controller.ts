import { BadRequestError, NotImplementedError } from '@nimbus/errors';
import { respond, route } from '@nimbus/http';
import type { Credential, Ec2Credential } from '../../manager/ext/credential-manager';
import { ec2CredentialId, verifyEc2Signature, verifyS3Signature } from '../../manager/ext/ec2-signature';
import { ExpectingAttribute, ExtUnauthorized, PlainNotFound } from '../../manager/ext/ext-errors';
import { collection, type ExtRequest, ext, policyTarget, queryValue, splitExtra, v3Url } from './ext-support';

function credentialView(req: ExtRequest, c: Credential): Record<string, unknown> {
  return {
    ...c.extra,
    id: c.id,
    user_id: c.userId,
    project_id: c.projectId,
    type: c.type,
    blob: c.blob,
    links: { self: v3Url(req, `/credentials/${c.id}`) },
  };
}

/** The policy target of one credential (`target.credential.*`). */
function credentialTarget(c: Credential | undefined): Record<string, unknown> {
  return c
    ? policyTarget({ credential: { id: c.id, user_id: c.userId, project_id: c.projectId, type: c.type } })
    : {};
}

const credentialProps = {
  blob: { type: 'string' },
  project_id: { type: 'string' },
  type: { type: 'string' },
  user_id: { type: 'string' },
};
const createBody = {
  type: 'object',
  required: ['credential'],
  properties: {
    credential: {
      type: 'object',
      properties: credentialProps,
      additionalProperties: true,
      oneOf: [
        {
          title: 'ec2 credential requires project_id',
          required: ['blob', 'type', 'user_id', 'project_id'],
          properties: { type: { enum: ['ec2'] } },
        },
        {
          title: 'non-ec2 credential does not require project_id',
          required: ['blob', 'type', 'user_id'],
          properties: { type: { not: { enum: ['ec2'] } } },
        },
      ],
    },
  },
};
const updateBody = {
  type: 'object',
  required: ['credential'],
  properties: {
    credential: { type: 'object', properties: credentialProps, minProperties: 1, additionalProperties: true },
  },
};

async function listCredentials(req: ExtRequest) {
  const caller = req.credentials;
  req.authorize(
    'identity:list_credentials',
    caller.systemScope ? {} : policyTarget({ credential: { user_id: caller.userId } }),
  );
  const filter: { userId?: string; type?: string } = {};
  const userId = queryValue(req, 'user_id');
  const type = queryValue(req, 'type');
  if (userId !== undefined) filter.userId = userId;
  if (type !== undefined) filter.type = type;
  // Only credentials the caller may read are listed (project admins see their own only).
  const visible = (await ext(req).credentials.list(filter)).filter((c) =>
    req.allowed('identity:get_credential', credentialTarget(c)),
  );
  return collection(
    req,
    'credentials',
    visible.map((c) => credentialView(req, c)),
  );
}

async function getCredential(req: ExtRequest) {
  const id = req.params.credential_id!;
  req.authorize('identity:get_credential', credentialTarget(await ext(req).credentials.find(id)));
  return { credential: credentialView(req, await ext(req).credentials.get(id)) };
}

async function createCredential(req: ExtRequest) {
  const body = req.body.credential as Record<string, unknown>;
  req.authorize('identity:create_credential', policyTarget({ credential: body }));
  const caller = req.credentials;
  const c = await ext(req).credentials.create(
    {
      userId: String(body.user_id),
      projectId: (body.project_id as string | undefined) ?? null,
      type: String(body.type),
      blob: String(body.blob),
      extra: splitExtra(body, ['id', 'user_id', 'project_id', 'type', 'blob', 'links']),
    },
    { trustId: caller.trust?.id, applicationCredentialId: caller.applicationCredential?.id },
  );
  return respond(201, { credential: credentialView(req, c) });
}

async function updateCredential(req: ExtRequest) {
  const id = req.params.credential_id!;
  const current = await ext(req).credentials.find(id);
  req.authorize('identity:update_credential', credentialTarget(current));
  const body = req.body.credential as Record<string, unknown>;
  if (body.id !== undefined && body.id !== id)
    throw new BadRequestError('Cannot change ID', { code: 'IDENTITY_VALIDATION' });
  // The merged document is checked too, so an owner cannot hand the credential to someone else.
  if (current)
    req.authorize(
      'identity:update_credential',
      policyTarget({
        credential: { user_id: current.userId, project_id: current.projectId, type: current.type, ...body },
      }),
    );
  const c = await ext(req).credentials.update(id, {
    blob: body.blob as string | undefined,
    projectId: body.project_id as string | undefined,
    type: body.type as string | undefined,
    userId: body.user_id as string | undefined,
    extra: splitExtra(body, ['id', 'user_id', 'project_id', 'type', 'blob', 'links']),
  });
  return { credential: credentialView(req, c) };
}

async function deleteCredential(req: ExtRequest) {
  const id = req.params.credential_id!;
  req.authorize('identity:delete_credential', credentialTarget(await ext(req).credentials.find(id)));
  await ext(req).credentials.delete(id);
}

function ec2View(req: ExtRequest, c: Ec2Credential): Record<string, unknown> {
  return {
    user_id: c.userId,
    tenant_id: c.projectId,
    access: c.access,
    secret: c.secret,
    trust_id: c.trustId,
    links: { self: v3Url(req, `/users/${c.userId}/credentials/OS-EC2/${c.access}`) },
  };
}

async function requireUser(req: ExtRequest, userId: string): Promise<void> {
  if (!(await ext(req).core.getUser(userId)))
    throw new PlainNotFound(`Could not find user: ${userId}.`, 'IDENTITY_USER_NOT_FOUND');
}

async function listEc2(req: ExtRequest) {
  const userId = req.params.user_id!;
  req.authorize('identity:ec2_list_credentials', { user_id: userId });
  await requireUser(req, userId);
  return collection(
    req,
    'credentials',
    (await ext(req).credentials.listEc2(userId)).map((c) => ec2View(req, c)),
  );
}

async function createEc2(req: ExtRequest) {
  const userId = req.params.user_id!;
  req.authorize(
    'identity:ec2_create_credential',
    policyTarget({ credential: { user_id: userId } }, { user_id: userId }),
  );
  await requireUser(req, userId);
  const tenantId = (req.body as Record<string, unknown> | undefined)?.tenant_id;
  if (typeof tenantId !== 'string' || !(await ext(req).core.getProject(tenantId)))
    throw new PlainNotFound(`Could not find project: ${String(tenantId)}.`, 'IDENTITY_PROJECT_NOT_FOUND');
  const caller = req.credentials;
  const c = await ext(req).credentials.createEc2(userId, tenantId, {
    trustId: caller.trust?.id,
    applicationCredentialId: caller.applicationCredential?.id,
  });
  return respond(201, { credential: ec2View(req, c) });
}

/** The EC2 credential of a URL, found before policy so the policy sees its owner; a missing one is 404. */
async function ec2OfUrl(req: ExtRequest): Promise<Ec2Credential> {
  const c = await ext(req).credentials.findEc2(req.params.credential_id!);
  if (!c)
    throw new PlainNotFound(
      `Could not find credential: ${req.params.credential_id}.`,
      'IDENTITY_CREDENTIAL_NOT_FOUND',
    );
  return c;
}

async function getEc2(req: ExtRequest) {
  const userId = req.params.user_id!;
  const c = await ec2OfUrl(req);
  req.authorize(
    'identity:ec2_get_credential',
    policyTarget({ credential: { user_id: c.userId } }, { user_id: userId }),
  );
  await requireUser(req, userId);
  if (c.userId !== userId)
    throw new PlainNotFound(
      `Could not find credential: ${req.params.credential_id}.`,
      'IDENTITY_CREDENTIAL_NOT_FOUND',
    );
  return { credential: ec2View(req, c) };
}

async function deleteEc2(req: ExtRequest) {
  const userId = req.params.user_id!;
  const c = await ec2OfUrl(req);
  req.authorize(
    'identity:ec2_delete_credential',
    policyTarget({ credential: { user_id: c.userId } }, { user_id: userId }),
  );
  // As Keystone 22: the check above is against the credential's real owner, so the user in the
  // path need only exist (Tempest's own cleanups delete through another user's path).
  await requireUser(req, userId);
  await ext(req).credentials.delete(ec2CredentialId(c.access));
}

/** Issues the token an EC2 or S3 credential stands for, after its signature checked out. */
async function tokenFor(req: ExtRequest, c: Ec2Credential) {
  const core = ext(req).core;
  if (!core.issueToken) throw new NotImplementedError('Token issue from EC2 credentials is not available.');
  const user = await core.getUser(c.userId);
  const project = c.projectId ? await core.getProject(c.projectId) : undefined;
  if (!user?.enabled || !project?.enabled) throw new ExtUnauthorized('IDENTITY_EC2_DISABLED');
  if ((await core.effectiveRoleIds(user.id, project.id)).length === 0)
    throw new ExtUnauthorized('IDENTITY_EC2_NO_ROLE');
  const issued = await core.issueToken({
    userId: user.id,
    projectId: project.id,
    methods: ['ec2credential'],
    ...(c.trustId ? { trustId: c.trustId } : {}),
    ...(c.appCredId ? { applicationCredentialId: c.appCredId } : {}),
    ...(c.accessTokenId ? { accessTokenId: c.accessTokenId } : {}),
  });
  return respond(200, issued.body, { 'x-subject-token': issued.token });
}

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const ec2Signed = {
  type: 'object',
  properties: {
    access: { type: 'string' },
    signature: { type: 'string' },
    host: { type: 'string' },
    verb: { type: 'string' },
    path: { type: 'string' },
    body_hash: { type: 'string' },
    params: stringMap,
    headers: stringMap,
  },
};
/** What ec2tokens reads of its body (Keystone names no schema; it fails on anything else). */
const ec2TokensBody = {
  properties: { credentials: ec2Signed, ec2Credentials: ec2Signed },
};

async function ec2Tokens(req: ExtRequest) {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const creds = (body.credentials ?? body.ec2Credentials) as Record<string, unknown> | undefined;
  if (!creds || typeof creds !== 'object') throw new ExpectingAttribute('credentials', 'request');
  if (typeof creds.access !== 'string' || !creds.access)
    throw new ExpectingAttribute('access', 'credentials');
  const c = await ext(req).credentials.findEc2(creds.access);
  if (!c) throw new ExtUnauthorized('IDENTITY_EC2_UNKNOWN_KEY');
  const ok = verifyEc2Signature(c.secret, typeof creds.signature === 'string' ? creds.signature : '', {
    host: String(creds.host ?? ''),
    verb: String(creds.verb ?? ''),
    path: String(creds.path ?? ''),
    params: (creds.params ?? {}) as Record<string, string>,
    headers: (creds.headers ?? {}) as Record<string, string>,
    body_hash: typeof creds.body_hash === 'string' ? creds.body_hash : '',
  });
  if (!ok) throw new ExtUnauthorized('IDENTITY_EC2_SIGNATURE');
  return tokenFor(req, c);
}

async function s3Tokens(req: ExtRequest) {
  const creds = ((req.body ?? {}) as Record<string, unknown>).credentials as
    | Record<string, unknown>
    | undefined;
  if (!creds || typeof creds !== 'object') throw new ExpectingAttribute('credentials', 'request');
  if (typeof creds.access !== 'string' || !creds.access)
    throw new ExpectingAttribute('access', 'credentials');
  const c = await ext(req).credentials.findEc2(creds.access);
  if (!c) throw new ExtUnauthorized('IDENTITY_S3_UNKNOWN_KEY');
  const ok =
    typeof creds.token === 'string' &&
    typeof creds.signature === 'string' &&
    verifyS3Signature(c.secret, creds.signature, Buffer.from(creds.token, 'base64'));
  if (!ok) throw new ExtUnauthorized('IDENTITY_S3_SIGNATURE');
  return tokenFor(req, c);
}

/** Routes of /v3/credentials, OS-EC2 and the EC2/S3 token APIs. */
export const credentialRoutes = [
  route('GET', '/v3/credentials', listCredentials),
  route('POST', '/v3/credentials', createCredential, { body: createBody }),
  route('GET', '/v3/credentials/:credential_id', getCredential),
  route('PATCH', '/v3/credentials/:credential_id', updateCredential, { body: updateBody }),
  route('DELETE', '/v3/credentials/:credential_id', deleteCredential),
  route('GET', '/v3/users/:user_id/credentials/OS-EC2', listEc2),
  route('POST', '/v3/users/:user_id/credentials/OS-EC2', createEc2),
  route('GET', '/v3/users/:user_id/credentials/OS-EC2/:credential_id', getEc2),
  route('DELETE', '/v3/users/:user_id/credentials/OS-EC2/:credential_id', deleteEc2),
  route('POST', '/v3/ec2tokens', ec2Tokens, { public: true, body: ec2TokensBody }),
  route('POST', '/v3/s3tokens', s3Tokens, { public: true }),
];
