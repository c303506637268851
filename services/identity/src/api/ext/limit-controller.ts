import { BadRequestError } from '@nimbus/errors';
import { respond, route } from '@nimbus/http';
import type { LimitFilter, LimitView, RegisteredLimitRecord } from '../../db/ext/limit-repository';
import { FLAT_LIMIT_MODEL } from '../../manager/ext/limit-manager';
import { collection, type ExtRequest, ext, policyTarget, queryValue, types, v3Url } from './ext-support';

const limitValue = { type: 'integer', minimum: -1, maximum: 0x7fffffff };
const resourceName = { type: 'string', minLength: 1, maxLength: 255 };
const registeredProps = {
  service_id: types.idString,
  region_id: { type: ['null', 'string'] },
  resource_name: resourceName,
  default_limit: limitValue,
  description: types.nullableDescription,
};
const createRegisteredBody = {
  type: 'object',
  required: ['registered_limits'],
  properties: {
    registered_limits: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: registeredProps,
        additionalProperties: false,
        required: ['service_id', 'resource_name', 'default_limit'],
      },
    },
  },
};
const updateRegisteredBody = {
  type: 'object',
  required: ['registered_limit'],
  properties: {
    registered_limit: { type: 'object', properties: registeredProps, additionalProperties: false },
  },
};
const limitCommon = {
  service_id: types.idString,
  region_id: { type: 'string' },
  resource_name: resourceName,
  resource_limit: limitValue,
  description: types.nullableDescription,
};
const createLimitsBody = {
  type: 'object',
  required: ['limits'],
  properties: {
    limits: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        oneOf: [
          {
            properties: { project_id: types.idString, ...limitCommon },
            required: ['project_id', 'service_id', 'resource_name', 'resource_limit'],
            additionalProperties: false,
          },
          {
            properties: { domain_id: types.idString, ...limitCommon },
            required: ['domain_id', 'service_id', 'resource_name', 'resource_limit'],
            additionalProperties: false,
          },
        ],
      },
    },
  },
};
const updateLimitBody = {
  type: 'object',
  required: ['limit'],
  properties: {
    limit: {
      type: 'object',
      properties: { resource_limit: limitValue, description: types.nullableDescription },
      additionalProperties: false,
    },
  },
};

function registeredView(req: ExtRequest, r: RegisteredLimitRecord): Record<string, unknown> {
  return {
    id: r.id,
    service_id: r.serviceId,
    region_id: r.regionId,
    resource_name: r.resourceName,
    default_limit: r.defaultLimit,
    description: r.description,
    links: { self: v3Url(req, `/registered_limits/${r.id}`) },
  };
}

function limitView(req: ExtRequest, l: LimitView): Record<string, unknown> {
  return {
    id: l.id,
    project_id: l.projectId,
    domain_id: l.domainId,
    service_id: l.serviceId,
    region_id: l.regionId,
    resource_name: l.resourceName,
    resource_limit: l.resourceLimit,
    description: l.description,
    links: { self: v3Url(req, `/limits/${l.id}`) },
  };
}

function filterOf(
  req: ExtRequest,
  keys: readonly ('service_id' | 'region_id' | 'resource_name' | 'project_id' | 'domain_id')[],
): LimitFilter {
  const f: LimitFilter = {};
  const map = {
    service_id: 'serviceId',
    region_id: 'regionId',
    resource_name: 'resourceName',
    project_id: 'projectId',
    domain_id: 'domainId',
  } as const;
  for (const k of keys) {
    const v = queryValue(req, k);
    if (v !== undefined) (f as Record<string, string>)[map[k]] = v;
  }
  return f;
}

function requireMatchingId(req: ExtRequest, body: Record<string, unknown>): void {
  if (body.id !== undefined && body.id !== req.params.id)
    throw new BadRequestError('Cannot change ID', { code: 'IDENTITY_VALIDATION' });
}

async function createRegistered(req: ExtRequest) {
  req.authorize('identity:create_registered_limits', {});
  const rows = await ext(req).limits.createRegistered(
    (req.body.registered_limits as Record<string, any>[]).map((r) => ({
      serviceId: r.service_id,
      regionId: r.region_id,
      resourceName: r.resource_name,
      defaultLimit: r.default_limit,
      description: r.description,
    })),
  );
  return respond(201, { registered_limits: rows.map((r) => registeredView(req, r)) });
}

async function listRegistered(req: ExtRequest) {
  req.authorize('identity:list_registered_limits', {});
  const rows = await ext(req).limits.listRegistered(
    filterOf(req, ['service_id', 'region_id', 'resource_name']),
  );
  return collection(
    req,
    'registered_limits',
    rows.map((r) => registeredView(req, r)),
  );
}

async function getRegistered(req: ExtRequest) {
  req.authorize('identity:get_registered_limit', {});
  return { registered_limit: registeredView(req, await ext(req).limits.getRegistered(req.params.id!)) };
}

async function updateRegistered(req: ExtRequest) {
  req.authorize('identity:update_registered_limit', {});
  const b = req.body.registered_limit as Record<string, any>;
  requireMatchingId(req, b);
  const r = await ext(req).limits.updateRegistered(req.params.id!, {
    serviceId: b.service_id,
    regionId: b.region_id,
    resourceName: b.resource_name,
    defaultLimit: b.default_limit,
    description: b.description,
  });
  return { registered_limit: registeredView(req, r) };
}

async function deleteRegistered(req: ExtRequest) {
  req.authorize('identity:delete_registered_limit', {});
  await ext(req).limits.deleteRegistered(req.params.id!);
}

async function createLimits(req: ExtRequest) {
  req.authorize('identity:create_limits', {});
  const rows = await ext(req).limits.createLimits(
    (req.body.limits as Record<string, any>[]).map((l) => ({
      projectId: l.project_id,
      domainId: l.domain_id,
      serviceId: l.service_id,
      regionId: l.region_id,
      resourceName: l.resource_name,
      resourceLimit: l.resource_limit,
      description: l.description,
    })),
  );
  return respond(201, { limits: rows.map((l) => limitView(req, l)) });
}

/** Lists limits as Keystone scopes them: all for system, the domain's for domain tokens, the project's own otherwise. */
async function listLimits(req: ExtRequest) {
  req.authorize('identity:list_limits', {});
  const creds = req.credentials;
  const f = filterOf(req, ['service_id', 'region_id', 'resource_name', 'project_id', 'domain_id']);
  let rows: LimitView[];
  if (creds.systemScope) rows = await ext(req).limits.listLimits(f);
  else if (creds.domainId) {
    const all = await ext(req).limits.listLimits(f);
    rows = [];
    for (const l of all) {
      if (l.domainId === creds.domainId) rows.push(l);
      else if (l.projectId && (await ext(req).core.getProject(l.projectId))?.domainId === creds.domainId)
        rows.push(l);
    }
  } else if (creds.projectId) rows = await ext(req).limits.listLimits({ ...f, projectId: creds.projectId });
  else rows = [];
  return collection(
    req,
    'limits',
    rows.map((l) => limitView(req, l)),
  );
}

async function getLimit(req: ExtRequest) {
  const l = await ext(req).limits.findLimit(req.params.id!);
  const target: Record<string, unknown> = {};
  if (l) {
    const limit: Record<string, unknown> = { id: l.id, project_id: l.projectId, domain_id: l.domainId };
    if (l.projectId) {
      const p = await ext(req).core.getProject(l.projectId);
      if (p) limit.project = { id: p.id, domain_id: p.domainId };
    } else if (l.domainId) limit.domain = { id: l.domainId };
    Object.assign(target, policyTarget({ limit }));
  }
  req.authorize('identity:get_limit', target);
  return { limit: limitView(req, await ext(req).limits.getLimit(req.params.id!)) };
}

async function updateLimit(req: ExtRequest) {
  req.authorize('identity:update_limit', {});
  const b = req.body.limit as Record<string, any>;
  requireMatchingId(req, b);
  return {
    limit: limitView(
      req,
      await ext(req).limits.updateLimit(req.params.id!, {
        resourceLimit: b.resource_limit,
        description: b.description,
      }),
    ),
  };
}

async function deleteLimit(req: ExtRequest) {
  req.authorize('identity:delete_limit', {});
  await ext(req).limits.deleteLimit(req.params.id!);
}

function limitModel(req: ExtRequest) {
  req.authorize('identity:get_limit_model', {});
  return { model: { ...FLAT_LIMIT_MODEL } };
}

/** Routes of unified limits. */
export const limitRoutes = [
  route('POST', '/v3/registered_limits', createRegistered, { body: createRegisteredBody, status: 201 }),
  route('GET', '/v3/registered_limits', listRegistered),
  route('GET', '/v3/registered_limits/:id', getRegistered),
  route('PATCH', '/v3/registered_limits/:id', updateRegistered, { body: updateRegisteredBody }),
  route('DELETE', '/v3/registered_limits/:id', deleteRegistered),
  route('GET', '/v3/limits/model', limitModel),
  route('POST', '/v3/limits', createLimits, { body: createLimitsBody, status: 201 }),
  route('GET', '/v3/limits', listLimits),
  route('GET', '/v3/limits/:id', getLimit),
  route('PATCH', '/v3/limits/:id', updateLimit, { body: updateLimitBody }),
  route('DELETE', '/v3/limits/:id', deleteLimit),
];
