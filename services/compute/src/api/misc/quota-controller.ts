import { respond } from '@nimbus/http';
import { InvalidInput } from '../../manager/compute-errors';
import { QUOTA_RESOURCES, type QuotaResource } from '../../manager/quota-manager';
import type { ComputeRequest } from '../compute-request';

/** The resources a quota set shows at this microversion (2.36 drops the network ones, 2.57 the file ones). */
function shown(req: ComputeRequest<unknown>): { own: QuotaResource[]; legacy: Record<string, number> } {
  const mv = req.microversion;
  const own = QUOTA_RESOURCES.filter((r) => !(mv.atLeast('2.57') && r.startsWith('injected_file')));
  // Nova proxied these to Neutron before 2.36; it answers them as fixed values (-1 / 10 / 100).
  const legacy: Record<string, number> = mv.atLeast('2.36')
    ? {}
    : { fixed_ips: -1, floating_ips: 10, security_group_rules: 20, security_groups: 10 };
  return { own, legacy };
}

/** The API's name of a resource (the path length shows as `injected_file_path_bytes`). */
export function quotaKey(r: QuotaResource): string {
  return r === 'injected_file_path_length' ? 'injected_file_path_bytes' : r;
}

function resourceOf(key: string): string {
  return key === 'injected_file_path_bytes' ? 'injected_file_path_length' : key;
}

function project(req: ComputeRequest<unknown>): string {
  return req.params.project_id!;
}

/** `GET /os-quota-sets/{project}`. */
export async function showQuotaSet(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-quota-sets:show', { project_id: project(req) });
  const limits = await req.services.quotas.limits(project(req));
  const { own, legacy } = shown(req);
  return {
    quota_set: {
      id: project(req),
      ...Object.fromEntries(own.map((r) => [quotaKey(r), limits[r]])),
      ...legacy,
    },
  };
}

/** `GET /os-quota-sets/{project}/detail`. */
export async function showQuotaDetail(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-quota-sets:detail', { project_id: project(req) });
  const q = req.query as Record<string, string>;
  const limits = await req.services.quotas.limits(project(req));
  const usage = await req.services.quotas.usage(project(req), q.user_id ?? req.credentials.userId);
  const { own, legacy } = shown(req);
  return {
    quota_set: {
      id: project(req),
      ...Object.fromEntries(
        own.map((r) => [quotaKey(r), { limit: limits[r], in_use: usage[r] ?? 0, reserved: 0 }]),
      ),
      ...Object.fromEntries(
        Object.entries(legacy).map(([k, v]) => [k, { limit: v, in_use: 0, reserved: 0 }]),
      ),
    },
  };
}

/** `GET /os-quota-sets/{project}/defaults`. */
export async function showQuotaDefaults(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-quota-sets:defaults', {});
  const limits = await req.services.quotas.defaultLimits();
  const { own, legacy } = shown(req);
  return {
    quota_set: {
      id: project(req),
      ...Object.fromEntries(own.map((r) => [quotaKey(r), limits[r]])),
      ...legacy,
    },
  };
}

/** `PUT /os-quota-sets/{project}`. */
export async function updateQuotaSet(req: ComputeRequest<{ quota_set: Record<string, unknown> }>) {
  req.authorize('os_compute_api:os-quota-sets:update', { project_id: project(req) });
  const body = req.body?.quota_set;
  if (!body || typeof body !== 'object')
    throw new InvalidInput("Invalid input for field/attribute quota_set. 'quota_set' is a required property");
  const { own, legacy } = shown(req);
  const changes: Partial<Record<QuotaResource, number>> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === 'force') continue;
    if (k in legacy) continue;
    if (!(own as string[]).includes(resourceOf(k)))
      throw new InvalidInput(`Additional properties are not allowed ('${k}' was unexpected)`);
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < -1)
      throw new InvalidInput(`Invalid input for field/attribute ${k}. Value: ${v}.`);
    changes[resourceOf(k) as QuotaResource] = n;
  }
  await req.services.quotas.set(project(req), changes);
  const limits = await req.services.quotas.limits(project(req));
  return { quota_set: { ...Object.fromEntries(own.map((r) => [quotaKey(r), limits[r]])), ...legacy } };
}

/** `DELETE /os-quota-sets/{project}`: back to the defaults. */
export async function deleteQuotaSet(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-quota-sets:delete', { project_id: project(req) });
  await req.services.quotas.reset(project(req));
  return respond(202);
}

/** `GET /limits`. */
export async function showLimits(req: ComputeRequest<unknown>) {
  const q = req.query as Record<string, string>;
  let projectId = req.credentials.projectId ?? '';
  if (q.tenant_id && q.tenant_id !== projectId) {
    if (req.allowed('os_compute_api:limits:other_project', { project_id: q.tenant_id }))
      projectId = q.tenant_id;
  }
  req.authorize('os_compute_api:limits', {});
  const limits = await req.services.quotas.limits(projectId);
  const usage = await req.services.quotas.usage(projectId, req.credentials.userId);
  const mv = req.microversion;
  const absolute: Record<string, number> = {
    maxServerMeta: limits.metadata_items,
    maxTotalKeypairs: limits.key_pairs,
    maxServerGroups: limits.server_groups,
    maxServerGroupMembers: limits.server_group_members,
    maxTotalCores: limits.cores,
    maxTotalInstances: limits.instances,
    maxTotalRAMSize: limits.ram,
    totalCoresUsed: usage.cores ?? 0,
    totalInstancesUsed: usage.instances ?? 0,
    totalRAMUsed: usage.ram ?? 0,
    totalServerGroupsUsed: usage.server_groups ?? 0,
  };
  if (!mv.atLeast('2.39')) absolute.maxImageMeta = limits.metadata_items;
  if (!mv.atLeast('2.57')) {
    absolute.maxPersonality = limits.injected_files;
    absolute.maxPersonalitySize = limits.injected_file_content_bytes;
  }
  if (!mv.atLeast('2.36')) {
    Object.assign(absolute, {
      maxSecurityGroups: 10,
      maxSecurityGroupRules: 20,
      maxTotalFloatingIps: 10,
      totalFloatingIpsUsed: 0,
      totalSecurityGroupsUsed: 0,
    });
  }
  return { limits: { rate: [], absolute } };
}
