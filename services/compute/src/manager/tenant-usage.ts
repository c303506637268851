import type { Instance } from '../db/instance-repository';

/** One server's use of a period (Nova's `server_usages` item, before rendering). */
export interface ServerUsage {
  instanceId: string;
  name: string;
  tenantId: string;
  flavor: string;
  vcpus: number;
  memoryMb: number;
  localGb: number;
  hours: number;
  state: string;
  startedAt: string;
  endedAt: string | null;
  uptimeSeconds: number;
}

/** A project's use of a period: totals in resource-hours, and each server. */
export interface TenantUsage {
  tenantId: string;
  start: Date;
  stop: Date;
  totalHours: number;
  totalVcpusUsage: number;
  totalMemoryMbUsage: number;
  totalLocalGbUsage: number;
  servers: ServerUsage[];
}

/**
 * Usage per project over [start, stop] as Nova's simple tenant usage counts it: each server's
 * hours are the overlap of its life (launched to terminated, or still running) with the period,
 * and the totals weigh vCPUs, RAM and disk by those hours. `now` bounds uptime.
 */
export function tenantUsages(
  instances: readonly Instance[],
  start: Date,
  stop: Date,
  now: Date,
): TenantUsage[] {
  const out = new Map<string, TenantUsage>();
  for (const i of instances) {
    if (!i.launchedAt) continue;
    const launched = new Date(i.launchedAt);
    const terminated = i.terminatedAt ? new Date(i.terminatedAt) : null;
    if (launched > stop || (terminated && terminated < start)) continue;
    const from = Math.max(launched.getTime(), start.getTime());
    const to = Math.min(terminated ? terminated.getTime() : stop.getTime(), stop.getTime());
    const hours = Math.max(0, to - from) / 3_600_000;
    const f = i.flavor;
    const usage: ServerUsage = {
      instanceId: i.uuid,
      name: i.name,
      tenantId: i.projectId,
      flavor: f.name,
      vcpus: f.vcpus,
      memoryMb: f.memory_mb,
      localGb: f.root_gb + f.ephemeral_gb,
      hours,
      state: i.deleted ? 'terminated' : i.vmState,
      startedAt: i.launchedAt,
      endedAt: i.terminatedAt,
      uptimeSeconds: Math.floor(((terminated ?? now).getTime() - launched.getTime()) / 1000),
    };
    let t = out.get(i.projectId);
    if (!t) {
      t = {
        tenantId: i.projectId,
        start,
        stop,
        totalHours: 0,
        totalVcpusUsage: 0,
        totalMemoryMbUsage: 0,
        totalLocalGbUsage: 0,
        servers: [],
      };
      out.set(i.projectId, t);
    }
    t.totalHours += hours;
    t.totalVcpusUsage += hours * usage.vcpus;
    t.totalMemoryMbUsage += hours * usage.memoryMb;
    t.totalLocalGbUsage += hours * usage.localGb;
    t.servers.push(usage);
  }
  return [...out.values()];
}
