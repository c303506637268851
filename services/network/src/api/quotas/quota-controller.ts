import type { ApiRequest } from '@nimbus/http';
import { httpBadRequest } from '../../manager/network-errors';
import { QUOTA_TABLES, type QuotaResource } from '../../manager/quota-manager';
import { toBoolean, toInt } from '../attribute-spec';
import { type CallContext, policyNotAuthorized } from '../call-context';
import type { NetworkServices } from '../network-services';
import { contextOf } from '../resource-access';

type Req = ApiRequest<unknown, NetworkServices>;

/** The largest limit a quota column holds (neutron_lib's DB_INTEGER_MAX_VALUE). */
const DB_INTEGER_MAX = 2 ** 31 - 1;

/** Neutron checks quota policies against the caller's own project. */
function enforce(ctx: CallContext, action: string): void {
  if (!ctx.allowed(action, { project_id: ctx.projectId })) throw policyNotAuthorized([action]);
}

/** `GET /v2.0/quotas`: the projects whose limits differ from the defaults. */
export async function listQuotas(req: Req) {
  enforce(contextOf(req), 'get_quota');
  return { quotas: await req.services.quotas.all() };
}

/** `GET /v2.0/quotas/{project_id}`. */
export async function showQuota(req: Req) {
  const ctx = contextOf(req);
  if (req.params.project_id !== ctx.projectId) enforce(ctx, 'get_quota');
  return { quota: await req.services.quotas.limits(req.params.project_id!) };
}

/** `GET /v2.0/quotas/{project_id}/default`. */
export async function showDefaultQuota(req: Req) {
  const ctx = contextOf(req);
  if (req.params.project_id !== ctx.projectId) enforce(ctx, 'get_quota');
  return { quota: req.services.quotas.defaultLimits() };
}

/** `GET /v2.0/quotas/{project_id}/details`: limit, use and reservations of each resource. */
export async function showQuotaDetails(req: Req) {
  const ctx = contextOf(req);
  if (req.params.project_id !== ctx.projectId) enforce(ctx, 'get_quota');
  return { quota: await req.services.quotas.details(req.params.project_id!) };
}

/** `GET /v2.0/quotas/project` (and the deprecated `tenant`): the caller's project. */
export function callerProject(key: 'project' | 'tenant') {
  return (req: Req) => ({ [key]: { [`${key}_id`]: contextOf(req).projectId } });
}

/** `PUT /v2.0/quotas/{project_id}`: new limits; `check_limit` refuses a limit below the use. */
export async function updateQuota(req: Req) {
  enforce(contextOf(req), 'update_quota');
  const body = req.body as { quota?: Record<string, unknown> } | undefined;
  if (!body || typeof body !== 'object' || !body.quota || typeof body.quota !== 'object') {
    throw httpBadRequest("Unable to find 'quota' in request body");
  }
  const { force: _force, check_limit: checkLimit, ...given } = body.quota;
  const unknown = Object.keys(given).filter((k) => !(k in QUOTA_TABLES));
  if (unknown.length) throw httpBadRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
  const limits: Partial<Record<QuotaResource, number>> = {};
  for (const [resource, value] of Object.entries(given)) {
    const n = toInt(value);
    if (n < -1)
      throw httpBadRequest(
        `Invalid input for ${resource}. Reason: '${n}' is too small - must be at least '-1'.`,
      );
    if (n > DB_INTEGER_MAX)
      throw httpBadRequest(
        `Invalid input for ${resource}. Reason: '${n}' is too large - must be no larger than '${DB_INTEGER_MAX}'.`,
      );
    limits[resource as QuotaResource] = n;
  }
  const projectId = req.params.project_id!;
  if (checkLimit !== undefined && toBoolean(checkLimit)) {
    const details = await req.services.quotas.details(projectId);
    for (const [resource, limit] of Object.entries(limits)) {
      const used = details[resource as QuotaResource].used;
      if (limit >= 0 && used > limit) {
        throw httpBadRequest(
          `Quota limit ${limit} for ${resource} must be greater than or equal to already used ${used}`,
        );
      }
    }
  }
  await req.services.quotas.set(projectId, limits);
  return { quota: await req.services.quotas.limits(projectId) };
}

/** `DELETE /v2.0/quotas/{project_id}`: back to the defaults. */
export async function resetQuota(req: Req) {
  enforce(contextOf(req), 'delete_quota');
  await req.services.quotas.reset(req.params.project_id!);
  return undefined;
}
