import { nowTimestamp } from '@nimbus/db';
import { NotFoundError } from '@nimbus/errors';
import { InvalidInput } from '../../manager/compute-errors';
import { type TenantUsage, tenantUsages } from '../../manager/tenant-usage';
import type { ComputeRequest } from '../compute-request';
import { isoMicros, nextLink } from '../compute-view-helpers';

/** A period bound: Nova's three accepted formats, read as UTC; now when absent. */
function parseTime(value: string | undefined, which: 'start' | 'end'): Date {
  if (value === undefined) return new Date();
  const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(\.\d{1,6})?$/.exec(value);
  const d = m ? new Date(`${m[1]}T${m[2]}${m[3] ? m[3].slice(0, 4) : ''}Z`) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw new InvalidInput(`Invalid ${which} time.`);
  return d;
}

function period(req: ComputeRequest<unknown>): { start: Date; stop: Date } {
  const q = req.query as Record<string, string>;
  const start = parseTime(q.start, 'start');
  const stop = parseTime(q.end, 'end');
  if (start > stop)
    throw new InvalidInput('Invalid start time. The start time cannot occur after the end time.');
  return { start, stop };
}

const stamp = (d: Date) => isoMicros(nowTimestamp(d))!;

function view(u: TenantUsage, detailed: boolean) {
  return {
    tenant_id: u.tenantId,
    start: stamp(u.start),
    stop: stamp(u.stop),
    total_hours: u.totalHours,
    total_vcpus_usage: u.totalVcpusUsage,
    total_memory_mb_usage: u.totalMemoryMbUsage,
    total_local_gb_usage: u.totalLocalGbUsage,
    ...(detailed
      ? {
          server_usages: u.servers.map((s) => ({
            instance_id: s.instanceId,
            name: s.name,
            tenant_id: s.tenantId,
            flavor: s.flavor,
            vcpus: s.vcpus,
            memory_mb: s.memoryMb,
            local_gb: s.localGb,
            hours: s.hours,
            state: s.state,
            started_at: isoMicros(s.startedAt),
            ended_at: isoMicros(s.endedAt),
            uptime: s.uptimeSeconds,
          })),
        }
      : {}),
  };
}

/** Servers of the period, paged by server at 2.40+ (`limit`, `marker`). */
async function pagedServers(req: ComputeRequest<unknown>, start: Date, stop: Date, projectId?: string) {
  let servers = await req.services.usage.ranDuring(nowTimestamp(start), nowTimestamp(stop), projectId);
  const q = req.query as Record<string, string>;
  let full: { limit: number; last: string } | undefined;
  if (req.microversion.atLeast('2.40')) {
    if (q.marker !== undefined) {
      const at = servers.findIndex((s) => s.uuid === q.marker);
      if (at < 0) throw new InvalidInput(`marker [${q.marker}] not found`);
      servers = servers.slice(at + 1);
    }
    if (q.limit !== undefined) {
      if (!/^[0-9]+$/.test(q.limit))
        throw new InvalidInput(`Invalid input for query parameters limit. Value: ${q.limit}.`);
      const limit = Math.min(Number(q.limit), req.services.options.maxLimit);
      if (servers.length >= limit) {
        servers = servers.slice(0, limit);
        full = { limit, last: servers.at(-1)?.uuid ?? '' };
      }
    }
  }
  return { servers, full };
}

/** `GET /os-simple-tenant-usage`: every project's use of the period (admin). */
export async function listTenantUsages(req: ComputeRequest<unknown>) {
  // `/os-simple-tenant-usage/` names an empty project id: upstream finds no such resource.
  if (req.path.endsWith('/')) throw new NotFoundError('The resource could not be found.');
  req.authorize('os_compute_api:os-simple-tenant-usage:list', {});
  const { start, stop } = period(req);
  const detailed = ['1', 'true'].includes(
    String((req.query as Record<string, string>).detailed ?? '').toLowerCase(),
  );
  const { servers, full } = await pagedServers(req, start, stop);
  const usages = tenantUsages(servers, start, stop, new Date());
  return {
    tenant_usages: usages.map((u) => view(u, detailed)),
    ...(full ? { tenant_usages_links: nextLink(req, 'os-simple-tenant-usage', full.last, full.limit) } : {}),
  };
}

/** `GET /os-simple-tenant-usage/{tenant_id}`: one project's use, with its servers (`{}` when none). */
export async function showTenantUsage(req: ComputeRequest<unknown>) {
  const tenantId = req.params.tenant_id!;
  req.authorize('os_compute_api:os-simple-tenant-usage:show', { project_id: tenantId });
  const { start, stop } = period(req);
  const { servers, full } = await pagedServers(req, start, stop, tenantId);
  const usage = tenantUsages(servers, start, stop, new Date())[0];
  return {
    tenant_usage: usage ? view(usage, true) : {},
    ...(full
      ? { tenant_usage_links: nextLink(req, `os-simple-tenant-usage/${tenantId}`, full.last, full.limit) }
      : {}),
  };
}
