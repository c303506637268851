import { NotFoundError, NotImplementedError } from '@nimbus/errors';
import type { ComputeServiceRecord } from '../../db/host-repository';
import { InvalidInput } from '../../manager/compute-errors';
import type { ComputeRequest } from '../compute-request';

async function zoneOf(req: ComputeRequest<unknown>): Promise<(s: ComputeServiceRecord) => string> {
  const zones = await req.services.aggregates.zones();
  return (s) =>
    s.binary === 'nova-compute' ? (zones.get(s.host) ?? req.services.options.defaultZone) : 'internal';
}

/** The compute service of a host, or 404 with upstream's message. */
async function computeService(req: ComputeRequest<unknown>, host: string): Promise<ComputeServiceRecord> {
  const s = (await req.services.hosts.services()).find((x) => x.binary === 'nova-compute' && x.host === host);
  if (!s) throw new NotFoundError(`Compute host ${host} could not be found.`);
  return s;
}

/** `GET /os-hosts`: one row per service, `?zone=` narrows to a zone (blank means all). */
export async function listHosts(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-hosts:list', {});
  const zone = (req.query as Record<string, string>).zone;
  const zoneFor = await zoneOf(req);
  const hosts = (await req.services.hosts.services())
    .map((s) => ({ host_name: s.host, service: s.topic ?? s.binary.replace(/^nova-/, ''), zone: zoneFor(s) }))
    .filter((h) => !zone || h.zone === zone);
  return { hosts };
}

/** `GET /os-hosts/{host}`: the host's totals, what its servers use, and the use per project. */
export async function showHost(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-hosts:show', {});
  const host = req.params.host_name!;
  await computeService(req, host);
  const node = await req.services.hosts.nodeByHost(host);
  const resource = (project: string, cpu: number, memoryMb: number, diskGb: number) => ({
    resource: { host, project, cpu, memory_mb: memoryMb, disk_gb: diskGb },
  });
  const byProject = new Map<string, { cpu: number; ram: number; disk: number }>();
  for (const i of await req.services.instances.onHost(host)) {
    const p = byProject.get(i.projectId) ?? { cpu: 0, ram: 0, disk: 0 };
    p.cpu += i.flavor.vcpus;
    p.ram += i.flavor.memory_mb;
    p.disk += i.flavor.root_gb + i.flavor.ephemeral_gb;
    byProject.set(i.projectId, p);
  }
  const used = [...byProject.values()].reduce(
    (a, p) => ({ cpu: a.cpu + p.cpu, ram: a.ram + p.ram, disk: a.disk + p.disk }),
    { cpu: 0, ram: 0, disk: 0 },
  );
  return {
    host: [
      resource('(total)', node?.vcpus ?? 0, node?.memoryMb ?? 0, node?.localGb ?? 0),
      resource('(used_now)', used.cpu, used.ram, used.disk),
      resource('(used_max)', used.cpu, used.ram, used.disk),
      ...[...byProject].map(([project, p]) => resource(project, p.cpu, p.ram, p.disk)),
    ],
  };
}

/** `PUT /os-hosts/{host}`: `status` enables or disables its compute service. */
export async function updateHost(req: ComputeRequest<Record<string, unknown>>) {
  req.authorize('os_compute_api:os-hosts:update', {});
  const body = req.body ?? {};
  for (const k of Object.keys(body))
    if (k !== 'status' && k !== 'maintenance_mode')
      throw new InvalidInput(`Additional properties are not allowed ('${k}' was unexpected)`);
  for (const k of ['status', 'maintenance_mode'] as const) {
    const v = body[k];
    if (v !== undefined && v !== 'enable' && v !== 'disable')
      throw new InvalidInput(
        `Invalid input for field/attribute ${k}. Value: ${String(v)}. '${String(v)}' is not one of ['enable', 'disable']`,
      );
  }
  if (body.status === undefined && body.maintenance_mode === undefined)
    throw new InvalidInput("Invalid input for field/attribute. 'status' or 'maintenance_mode' is required");
  const host = req.params.host_name!;
  const service = await computeService(req, host);
  // No driver here has a maintenance mode (as libvirt's, upstream answers 501).
  if (body.maintenance_mode !== undefined)
    throw new NotImplementedError('Putting a host in maintenance mode is not implemented by this cloud.');
  const disabled = body.status === 'disable';
  await req.services.hosts.updateService(service.uuid, { disabled, disabled_reason: null });
  return { host, status: disabled ? 'disabled' : 'enabled' };
}

/** `GET /os-hosts/{host}/{startup|shutdown|reboot}`: no driver powers its hosts (501, as libvirt). */
export function hostPowerAction(action: 'startup' | 'shutdown' | 'reboot') {
  return async (req: ComputeRequest<unknown>) => {
    req.authorize(`os_compute_api:os-hosts:${action === 'startup' ? 'start' : action}`, {});
    await computeService(req, req.params.host_name!);
    throw new NotImplementedError(`The host power action '${action}' is not implemented by this cloud.`);
  };
}
