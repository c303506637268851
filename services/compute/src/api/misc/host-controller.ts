import { BadRequestError, NotFoundError } from '@nimbus/errors';
import { respond } from '@nimbus/http';
import type { ComputeNode, ComputeServiceRecord } from '../../db/host-repository';
import { AlreadyExists, InvalidInput } from '../../manager/compute-errors';
import { isServiceUp } from '../../manager/service-liveness';
import type { ComputeRequest } from '../compute-request';
import { isoMicros } from '../compute-view-helpers';

function isUp(req: ComputeRequest<unknown>, s: ComputeServiceRecord | undefined): boolean {
  return isServiceUp(s, req.services.options.serviceDownSeconds);
}

function serviceView(req: ComputeRequest<unknown>, s: ComputeServiceRecord) {
  const mv = req.microversion;
  return {
    id: mv.atLeast('2.53') ? s.uuid : s.id,
    binary: s.binary,
    disabled_reason: s.disabledReason,
    host: s.host,
    state: isUp(req, s) ? 'up' : 'down',
    status: s.disabled ? 'disabled' : 'enabled',
    updated_at: isoMicros(s.lastSeenUp ?? s.updatedAt),
    zone: s.binary === 'nova-compute' ? req.services.options.defaultZone : 'internal',
    ...(mv.atLeast('2.11') ? { forced_down: s.forcedDown } : {}),
  };
}

/** `GET /os-services`. */
export async function listServices(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-services:list', {});
  const q = req.query as Record<string, string>;
  const services = (await req.services.hosts.services()).filter(
    (s) => (!q.host || s.host === q.host) && (!q.binary || s.binary === q.binary),
  );
  return { services: services.map((s) => serviceView(req, s)) };
}

/** `PUT /os-services/{id}` (2.53) and the older `enable`, `disable`, `disable-log-reason`, `force-down`. */
export async function updateService(req: ComputeRequest<Record<string, any>>) {
  req.authorize('os_compute_api:os-services:update', {});
  const all = await req.services.hosts.services();
  const id = req.params.service_id!;
  const b = req.body ?? {};
  if (req.microversion.atLeast('2.53')) {
    const s = all.find((x) => x.uuid === id);
    if (!s) throw new NotFoundError(`Service ${id} could not be found.`);
    const changes: { disabled?: boolean; disabled_reason?: string | null; forced_down?: boolean } = {};
    if (b.status !== undefined) {
      if (b.status !== 'enabled' && b.status !== 'disabled')
        throw new InvalidInput(`Invalid input for field/attribute status. Value: ${b.status}.`);
      changes.disabled = b.status === 'disabled';
      changes.disabled_reason = changes.disabled ? (b.disabled_reason ?? null) : null;
    } else if (b.disabled_reason !== undefined)
      throw new InvalidInput('Specifying a disabled_reason is only supported when the status is disabled.');
    if (b.forced_down !== undefined) changes.forced_down = Boolean(b.forced_down);
    if (Object.keys(changes).length === 0)
      throw new InvalidInput(
        "At least one of 'status' or 'forced_down' must be specified in the request body.",
      );
    if (s.binary !== 'nova-compute')
      throw new InvalidInput(
        `Updating a ${s.binary} service is not supported. Only nova-compute services can be updated.`,
      );
    await req.services.hosts.updateService(s.uuid, changes);
    return {
      service: serviceView(req, (await req.services.hosts.services()).find((x) => x.uuid === s.uuid)!),
    };
  }
  const s = all.find((x) => x.host === b.host && x.binary === b.binary);
  if (!s) throw new NotFoundError(`Service ${b.binary} on host ${b.host} could not be found.`);
  switch (id) {
    case 'enable':
      await req.services.hosts.updateService(s.uuid, { disabled: false, disabled_reason: null });
      return { service: { host: s.host, binary: s.binary, status: 'enabled' } };
    case 'disable':
      await req.services.hosts.updateService(s.uuid, { disabled: true });
      return { service: { host: s.host, binary: s.binary, status: 'disabled' } };
    case 'disable-log-reason':
      await req.services.hosts.updateService(s.uuid, {
        disabled: true,
        disabled_reason: b.disabled_reason ?? null,
      });
      return {
        service: {
          host: s.host,
          binary: s.binary,
          status: 'disabled',
          disabled_reason: b.disabled_reason ?? null,
        },
      };
    case 'force-down':
      if (!req.microversion.atLeast('2.11')) throw new NotFoundError('The resource could not be found.');
      await req.services.hosts.updateService(s.uuid, { forced_down: Boolean(b.forced_down) });
      return { service: { host: s.host, binary: s.binary, forced_down: Boolean(b.forced_down) } };
    default:
      throw new NotFoundError('Unknown action');
  }
}

/** `DELETE /os-services/{id}`. */
export async function deleteService(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-services:delete', {});
  const id = req.params.service_id!;
  const s = (await req.services.hosts.services()).find((x) =>
    req.microversion.atLeast('2.53') ? x.uuid === id : String(x.id) === id,
  );
  if (!s) {
    if (req.microversion.atLeast('2.53') && !/^[0-9a-f-]{36}$/i.test(id))
      throw new BadRequestError(`Invalid uuid ${id}`);
    throw new NotFoundError(`Service ${id} could not be found.`);
  }
  if (s.binary === 'nova-compute' && (await req.services.instances.onHost(s.host)).length > 0) {
    throw new AlreadyExists(
      `Unable to delete compute service that is hosting instances. Migrate or delete the instances first.`,
    );
  }
  await req.services.hosts.deleteService(s.uuid);
  return respond(204);
}

async function hypervisorRows(req: ComputeRequest<unknown>) {
  const [nodes, services, usage] = await Promise.all([
    req.services.hosts.nodes(),
    req.services.hosts.services(),
    req.services.instances.usageByNode(),
  ]);
  const byHost = new Map(services.filter((s) => s.binary === 'nova-compute').map((s) => [s.host, s]));
  return nodes.map((n) => ({
    node: n,
    service: byHost.get(n.host),
    usage: usage.get(n.hypervisorHostname) ?? { count: 0, vcpus: 0, ramMb: 0, diskGb: 0 },
  }));
}

type HvRow = Awaited<ReturnType<typeof hypervisorRows>>[number];

function hvBrief(req: ComputeRequest<unknown>, r: HvRow) {
  return {
    id: req.microversion.atLeast('2.53') ? r.node.uuid : r.node.id,
    hypervisor_hostname: r.node.hypervisorHostname,
    state: isUp(req, r.service) ? 'up' : 'down',
    status: r.service?.disabled ? 'disabled' : 'enabled',
  };
}

function hvDetail(req: ComputeRequest<unknown>, r: HvRow) {
  const n: ComputeNode = r.node;
  const v: Record<string, unknown> = {
    ...hvBrief(req, r),
    host_ip: n.hostIp,
    hypervisor_type: n.hypervisorType,
    hypervisor_version: n.hypervisorVersion,
    service: {
      host: n.host,
      id: req.microversion.atLeast('2.53') ? r.service?.uuid : r.service?.id,
      disabled_reason: r.service?.disabledReason ?? null,
    },
  };
  if (!req.microversion.atLeast('2.88')) {
    Object.assign(v, {
      vcpus: n.vcpus,
      memory_mb: n.memoryMb,
      local_gb: n.localGb,
      vcpus_used: r.usage.vcpus,
      memory_mb_used: r.usage.ramMb,
      local_gb_used: r.usage.diskGb,
      free_ram_mb: n.memoryMb - r.usage.ramMb,
      free_disk_gb: n.localGb - r.usage.diskGb,
      current_workload: 0,
      running_vms: r.usage.count,
      cpu_info: req.microversion.atLeast('2.28') ? JSON.parse(n.cpuInfo) : n.cpuInfo,
      disk_available_least: n.localGb - r.usage.diskGb,
    });
  } else v.uptime = null;
  return v;
}

function pageOf<T>(req: ComputeRequest<unknown>, rows: T[], id: (r: T) => string | number): T[] {
  const q = req.query as Record<string, string>;
  if (!req.microversion.atLeast('2.33')) return rows;
  let out = rows;
  if (q.marker !== undefined) {
    const at = out.findIndex((r) => String(id(r)) === q.marker);
    if (at < 0) throw new BadRequestError(`marker [${q.marker}] not found`);
    out = out.slice(at + 1);
  }
  if (q.limit !== undefined) out = out.slice(0, Number(q.limit));
  return out;
}

/** `GET /os-hypervisors` and `/os-hypervisors/detail`. */
export function listHypervisors(detail: boolean) {
  return async (req: ComputeRequest<unknown>) => {
    req.authorize(
      detail ? 'os_compute_api:os-hypervisors:list-detail' : 'os_compute_api:os-hypervisors:list',
      {},
    );
    const q = req.query as Record<string, string>;
    let rows = await hypervisorRows(req);
    if (req.microversion.atLeast('2.53') && q.hypervisor_hostname_pattern)
      rows = rows.filter((r) => r.node.hypervisorHostname.includes(q.hypervisor_hostname_pattern!));
    rows = pageOf(req, rows, (r) => (req.microversion.atLeast('2.53') ? r.node.uuid : r.node.id));
    const withServers =
      req.microversion.atLeast('2.53') &&
      ['true', '1', 'yes'].includes(String(q.with_servers ?? '').toLowerCase());
    const out = [];
    for (const r of rows) {
      const v: Record<string, unknown> = detail ? hvDetail(req, r) : hvBrief(req, r);
      if (withServers) {
        const servers = (await req.services.instances.onHost(r.node.host)).filter(
          (i) => i.node === r.node.hypervisorHostname,
        );
        v.servers = servers.map((i) => ({ uuid: i.uuid, name: `instance-${i.uuid.slice(0, 8)}` }));
      }
      out.push(v);
    }
    return { hypervisors: out };
  };
}

/** `GET /os-hypervisors/{id}`. */
export async function showHypervisor(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-hypervisors:show', {});
  const id = req.params.hypervisor_id!;
  const r = (await hypervisorRows(req)).find((x) =>
    req.microversion.atLeast('2.53') ? x.node.uuid === id : String(x.node.id) === id,
  );
  if (!r) throw new NotFoundError(`Hypervisor with ID '${id}' could not be found.`);
  return { hypervisor: hvDetail(req, r) };
}

/** `GET /os-hypervisors/{id}/uptime` (folded into the hypervisor at 2.88). */
export async function hypervisorUptime(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-hypervisors:uptime', {});
  const id = req.params.hypervisor_id!;
  const r = (await hypervisorRows(req)).find((x) =>
    req.microversion.atLeast('2.53') ? x.node.uuid === id : String(x.node.id) === id,
  );
  if (!r) throw new NotFoundError(`Hypervisor with ID '${id}' could not be found.`);
  return { hypervisor: { ...hvBrief(req, r), uptime: fakeUptime() } };
}

/** The uptime line a host reports (`uptime`'s output, as the libvirt driver passes it on). */
function fakeUptime(): string {
  const s = Math.floor(process.uptime());
  const now = new Date().toISOString().slice(11, 19);
  return ` ${now} up ${Math.floor(s / 86400)} days, ${Math.floor((s % 86400) / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')},  1 user,  load average: 0.00, 0.00, 0.00`;
}

/** `GET /os-hypervisors/{pattern}/search` and `/{pattern}/servers` (before 2.53). */
export function searchHypervisors(withServers: boolean) {
  return async (req: ComputeRequest<unknown>) => {
    req.authorize(
      withServers ? 'os_compute_api:os-hypervisors:servers' : 'os_compute_api:os-hypervisors:search',
      {},
    );
    const pattern = req.params.hypervisor_id!;
    const rows = (await hypervisorRows(req)).filter((r) => r.node.hypervisorHostname.includes(pattern));
    if (!rows.length) throw new NotFoundError(`No hypervisor matching '${pattern}' could be found.`);
    const out = [];
    for (const r of rows) {
      const v: Record<string, unknown> = hvBrief(req, r);
      if (withServers) {
        const servers = (await req.services.instances.onHost(r.node.host)).filter(
          (i) => i.node === r.node.hypervisorHostname,
        );
        if (servers.length)
          v.servers = servers.map((i) => ({ uuid: i.uuid, name: `instance-${i.uuid.slice(0, 8)}` }));
      }
      out.push(v);
    }
    return { hypervisors: out };
  };
}

/** `GET /os-hypervisors/statistics` (gone at 2.88). */
export async function hypervisorStatistics(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-hypervisors:statistics', {});
  const rows = await hypervisorRows(req);
  const sum = (f: (r: HvRow) => number) => rows.reduce((a, r) => a + f(r), 0);
  return {
    hypervisor_statistics: {
      count: rows.length,
      vcpus: sum((r) => r.node.vcpus),
      memory_mb: sum((r) => r.node.memoryMb),
      local_gb: sum((r) => r.node.localGb),
      vcpus_used: sum((r) => r.usage.vcpus),
      memory_mb_used: sum((r) => r.usage.ramMb),
      local_gb_used: sum((r) => r.usage.diskGb),
      free_ram_mb: sum((r) => r.node.memoryMb - r.usage.ramMb),
      free_disk_gb: sum((r) => r.node.localGb - r.usage.diskGb),
      current_workload: 0,
      running_vms: sum((r) => r.usage.count),
      disk_available_least: sum((r) => r.node.localGb - r.usage.diskGb),
    },
  };
}

/** `GET /os-availability-zone` and `/detail`. */
export function listAvailabilityZones(detail: boolean) {
  return async (req: ComputeRequest<unknown>) => {
    req.authorize(
      detail ? 'os_compute_api:os-availability-zone:detail' : 'os_compute_api:os-availability-zone:list',
      {},
    );
    const zones = await req.services.aggregates.zones();
    const services = await req.services.hosts.services();
    const computes = services.filter((s) => s.binary === 'nova-compute');
    const byZone = new Map<string, ComputeServiceRecord[]>();
    for (const s of computes) {
      const zone = zones.get(s.host) ?? req.services.options.defaultZone;
      byZone.set(zone, [...(byZone.get(zone) ?? []), s]);
    }
    const hostsOf = (list: ComputeServiceRecord[]) => {
      const out: Record<string, Record<string, unknown>> = {};
      for (const s of list) {
        const entry = out[s.host] ?? {};
        out[s.host] = entry;
        entry[s.binary] = {
          available: isUp(req, s),
          active: !s.disabled,
          updated_at: isoMicros(s.lastSeenUp),
        };
      }
      return out;
    };
    const zoneList = [...byZone.entries()].map(([zoneName, list]) => ({
      zoneName,
      zoneState: { available: list.some((s) => !s.disabled && isUp(req, s)) },
      hosts: detail ? hostsOf(list) : null,
    }));
    if (!detail) return { availabilityZoneInfo: zoneList };
    const internal = services.filter((s) => s.binary !== 'nova-compute');
    return {
      availabilityZoneInfo: [
        ...(internal.length
          ? [{ zoneName: 'internal', zoneState: { available: true }, hosts: hostsOf(internal) }]
          : []),
        ...zoneList,
      ],
    };
  };
}
