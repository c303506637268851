import { BadRequestError, NotFoundError, NotImplementedError } from '@nimbus/errors';
import { respond } from '@nimbus/http';
import type { InstanceFilters, RequestedNetwork } from '../../db/instance-repository';
import { invalidBootSequence, parseBlockDeviceMappings } from '../../manager/block-device-requests';
import { InvalidInput } from '../../manager/compute-errors';
import { withDiskConfig } from '../../manager/disk-config';
import type { CreateServerInput } from '../../manager/server-manager';
import { vmStatesForStatus } from '../../manager/vm-states';
import { type ComputeRequest, callerContext, findServer, isAdmin } from '../compute-request';
import { nextLink, resourceLinks } from '../compute-view-helpers';
import { withVolumesAttached } from '../volumes/volume-attachment-view';
import { addressesView, serverBriefView, serverView } from './server-view';

const one = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? v[v.length - 1] : v;

function intParam(req: ComputeRequest, key: string, min = 0): number | undefined {
  const v = one((req.query as Record<string, string | string[]>)[key]);
  if (v === undefined) return undefined;
  if (!/^[0-9]+$/.test(v) || Number(v) < min)
    throw new BadRequestError(
      `Invalid input for query parameters ${key}. Value: ${v}. '${v}' does not match '^[0-9]*$'`,
    );
  return Number(v);
}

function timeParam(req: ComputeRequest, key: string): string | undefined {
  const v = one((req.query as Record<string, string | string[]>)[key]);
  if (v === undefined) return undefined;
  const t = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)
    ? Date.parse(v)
    : Number.NaN;
  if (Number.isNaN(t))
    throw new BadRequestError(
      `Invalid input for query parameters ${key}. Value: ${v}. '${v}' is not a 'date-time'`,
    );
  return new Date(t).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function regexParam(v: string | undefined): RegExp | undefined {
  if (v === undefined) return undefined;
  try {
    return new RegExp(v);
  } catch {
    return new RegExp(v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
}

const SORT_KEYS: Record<string, string> = {
  created_at: 'created_at',
  updated_at: 'updated_at',
  display_name: 'display_name',
  uuid: 'uuid',
  vm_state: 'vm_state',
  task_state: 'task_state',
  power_state: 'power_state',
  host: 'host',
  node: 'node',
  launched_at: 'launched_at',
  project_id: 'project_id',
  user_id: 'user_id',
  availability_zone: 'availability_zone',
  hostname: 'hostname',
  image_ref: 'image_ref',
  key_name: 'key_name',
};

async function listServers(req: ComputeRequest, detail: boolean) {
  const action = detail ? 'os_compute_api:servers:detail' : 'os_compute_api:servers:index';
  const projectId = req.credentials.projectId ?? '';
  req.authorize(action, { project_id: projectId });
  const q = req.query as Record<string, string | string[]>;
  const admin = isAdmin(req);
  const allTenants =
    q.all_tenants !== undefined && req.allowed(`${action}:get_all_tenants`, { project_id: projectId });
  const f: InstanceFilters = {};
  const wanted = one(q.project_id) ?? one(q.tenant_id);
  if (!allTenants) f.projectId = projectId;
  else if (wanted) f.projectId = wanted;
  const deleted = one(q.deleted);
  f.deleted = admin && deleted !== undefined && ['true', '1', 'yes'].includes(deleted.toLowerCase());
  const status = one(q.status);
  if (status !== undefined) {
    const s = vmStatesForStatus(status);
    if (!s) {
      // An unknown status matches nothing before 2.38 and is a 400 since (as upstream).
      if (req.microversion.atLeast('2.38')) throw new BadRequestError(`Invalid status value`);
      return { servers: [] };
    }
    f.vmStates = s.vmStates;
    if (s.taskStates) f.taskStates = s.taskStates;
    if (status.toUpperCase() === 'DELETED') f.deleted = admin ? true : f.deleted;
  }
  const name = one(q.name);
  if (name !== undefined) f.name = regexParam(name);
  const changesSince = timeParam(req, 'changes-since');
  const changesBefore = timeParam(req, 'changes-before');
  if (changesSince && changesBefore && changesSince > changesBefore) {
    throw new BadRequestError(`The value of changes-since must be less than or equal to changes-before.`);
  }
  if (changesSince) {
    f.changesSince = changesSince;
    if (deleted === undefined) delete f.deleted;
  }
  if (changesBefore) {
    f.changesBefore = changesBefore;
    if (deleted === undefined) delete f.deleted;
  }
  const flavor = one(q.flavor);
  if (flavor) f.flavorId = flavor;
  const image = one(q.image);
  if (image) f.imageRef = image.replace(/^.*\//, '');
  const ip = one(q.ip);
  if (ip) f.ip = regexParam(ip);
  const ip6 = one(q.ip6);
  if (ip6) f.ip6 = regexParam(ip6);
  const reservation = one(q.reservation_id);
  if (reservation) f.reservationId = reservation;
  const listOf = (k: string) => {
    const v = one(q[k]);
    return v === undefined ? undefined : v.split(',').filter(Boolean);
  };
  if (req.microversion.atLeast('2.26')) {
    const tags = listOf('tags');
    if (tags) f.tags = tags;
    const tagsAny = listOf('tags-any');
    if (tagsAny) f.tagsAny = tagsAny;
    const notTags = listOf('not-tags');
    if (notTags) f.notTags = notTags;
    const notTagsAny = listOf('not-tags-any');
    if (notTagsAny) f.notTagsAny = notTagsAny;
  }
  if (req.microversion.atLeast('2.73') && one(q.locked) !== undefined)
    f.lockedSet = ['true', '1', 'yes'].includes(one(q.locked)!.toLowerCase());
  if (admin) {
    const host = one(q.host);
    if (host) f.host = host;
    const node = one(q.node);
    if (node) f.node = node;
    const az = one(q.availability_zone);
    if (az) f.availabilityZone = az;
    const user = one(q.user_id);
    if (user) f.userId = user;
  }
  const maxLimit = req.services.options.maxLimit;
  const limit = Math.min(intParam(req, 'limit') ?? maxLimit, maxLimit);
  const markerId = one(q.marker);
  let marker: Awaited<ReturnType<typeof req.services.instances.get>>;
  if (markerId) {
    marker = await req.services.instances.get(markerId, true);
    if (!marker) throw new BadRequestError(`marker [${markerId}] not found`);
  }
  const sortKeys = (Array.isArray(q.sort_key) ? q.sort_key : q.sort_key ? [q.sort_key] : []).map((k, i) => {
    const col = SORT_KEYS[k];
    if (!col) throw new BadRequestError(`Invalid input for query parameters sort_key. Value: ${k}.`);
    const dirs = Array.isArray(q.sort_dir) ? q.sort_dir : q.sort_dir ? [q.sort_dir] : [];
    const dir = (dirs[i] ?? dirs[0] ?? 'desc').toLowerCase();
    if (dir !== 'asc' && dir !== 'desc')
      throw new BadRequestError(`Invalid input for query parameters sort_dir. Value: ${dir}.`);
    return { key: col, dir: dir as 'asc' | 'desc' };
  });
  const rows =
    limit === 0
      ? []
      : await req.services.instances.list(f, { limit, ...(marker ? { marker } : {}), sortKeys });
  const extraSpecs =
    req.microversion.atLeast('2.47') &&
    req.allowed('os_compute_api:servers:show:flavor-extra-specs', { project_id: projectId });
  const servers = rows.map((i) =>
    detail ? serverView(req, i, { admin, extraSpecs }) : serverBriefView(req, i),
  );
  await withVolumesAttached(req, servers);
  const body: Record<string, unknown> = { servers };
  if (rows.length > 0 && rows.length >= limit)
    body.servers_links = nextLink(
      req,
      detail ? 'servers/detail' : 'servers',
      rows[rows.length - 1]!.uuid,
      limit,
    );
  return body;
}

/** `GET /servers`. */
export const indexServers = (req: ComputeRequest) => listServers(req, false);
/** `GET /servers/detail`. */
export const detailServers = (req: ComputeRequest) => listServers(req, true);

/** `GET /servers/{id}`. */
export async function showServer(req: ComputeRequest<unknown>) {
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:servers:show');
  const view = fullView(req, i);
  await withVolumesAttached(req, [view]);
  return { server: await withServerGroups(req, i, view) };
}

/** Adds 2.71's `server_groups` (the ids of the groups the server is in) to a show-like view. */
export async function withServerGroups(
  req: ComputeRequest<unknown>,
  i: Awaited<ReturnType<typeof findServer>>,
  view: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (req.microversion.atLeast('2.71')) view.server_groups = await req.services.serverGroups.groupsOf(i.uuid);
  return view;
}

/** A server's show view (the update's brief one when `brief`), with the caller's rights applied. */
export function fullView(
  req: ComputeRequest<unknown>,
  i: Awaited<ReturnType<typeof findServer>>,
  brief = false,
) {
  const target = { project_id: i.projectId };
  return serverView(req, i, {
    brief,
    admin: req.allowed('os_compute_api:os-extended-server-attributes', target),
    extraSpecs:
      req.microversion.atLeast('2.47') &&
      req.allowed('os_compute_api:servers:show:flavor-extra-specs', target),
    ...(req.microversion.atLeast('2.16') && req.allowed('os_compute_api:servers:show:host_status', target)
      ? { hostStatus: i.host ? 'UP' : '' }
      : {}),
  });
}

/** `POST /servers`. */
export async function createServer(req: ComputeRequest<any>) {
  const s = req.body.server;
  const projectId = req.credentials.projectId ?? '';
  req.authorize('os_compute_api:servers:create', { project_id: projectId, user_id: req.credentials.userId });
  const mv = req.microversion;
  if (s.networks === undefined && mv.atLeast('2.37'))
    throw new InvalidInput(
      "Invalid input for field/attribute server. Value: ... 'networks' is a required property",
    );
  if (typeof s.networks === 'string' && !mv.atLeast('2.37'))
    throw new InvalidInput(
      `Invalid input for field/attribute networks. Value: ${s.networks}. '${s.networks}' is not of type 'array'`,
    );
  if (s.description !== undefined && !mv.atLeast('2.19'))
    throw new InvalidInput("Additional properties are not allowed ('description' was unexpected)");
  if (s.tags !== undefined && !mv.atLeast('2.52'))
    throw new InvalidInput("Additional properties are not allowed ('tags' was unexpected)");
  if (s.hostname !== undefined && !mv.atLeast('2.90'))
    throw new InvalidInput("Additional properties are not allowed ('hostname' was unexpected)");
  if ((s.host !== undefined || s.hypervisor_hostname !== undefined) && !mv.atLeast('2.74'))
    throw new InvalidInput("Additional properties are not allowed ('host' was unexpected)");
  if (s.trusted_image_certificates !== undefined && !mv.atLeast('2.63'))
    throw new InvalidInput(
      "Additional properties are not allowed ('trusted_image_certificates' was unexpected)",
    );
  const blockDevices = parseBlockDeviceMappings(s, mv);
  if (s.personality !== undefined) {
    if (mv.atLeast('2.57'))
      throw new InvalidInput("Additional properties are not allowed ('personality' was unexpected)");
    throw new NotImplementedError('Injected files (personality) are not implemented by this cloud.');
  }
  if ((s.imageRef === undefined || s.imageRef === '') && !blockDevices.some((b) => b.bootIndex === 0))
    throw invalidBootSequence();
  if (s.user_data !== undefined && !isBase64(s.user_data))
    throw new InvalidInput(
      'Invalid input for field/attribute user_data. Value: ... is not a valid base64 string',
    );
  if (
    s.accessIPv4 !== undefined &&
    s.accessIPv4 !== '' &&
    !/^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/.test(s.accessIPv4)
  ) {
    throw new InvalidInput(
      `Invalid input for field/attribute accessIPv4. Value: ${s.accessIPv4}. '${s.accessIPv4}' is not a 'ipv4'`,
    );
  }
  const count = (v: unknown, d: number) => (v === undefined ? d : Number(v));
  const minCount = count(s.min_count, 1);
  const maxCount = count(s.max_count, minCount);
  if (minCount < 1 || maxCount < 1)
    throw new InvalidInput(
      `Invalid input for field/attribute min_count. Value: ${minCount}. ${minCount} is less than the minimum of 1`,
    );
  if (minCount > maxCount) throw new InvalidInput('min_count must be <= max_count');
  let networks: CreateServerInput['networks'];
  if (typeof s.networks === 'string') networks = s.networks as 'auto' | 'none';
  else if (Array.isArray(s.networks)) {
    networks = (s.networks as Record<string, string | undefined>[]).map((n) => {
      if (!n.uuid && !n.port) throw new InvalidInput('Bad network format: missing uuid');
      if (n.tag !== undefined && !mv.atLeast('2.32'))
        throw new InvalidInput("Additional properties are not allowed ('tag' was unexpected)");
      const r: RequestedNetwork = {};
      if (n.uuid) r.network_id = n.uuid;
      if (n.port) r.port_id = n.port;
      if (n.fixed_ip) r.fixed_ip = n.fixed_ip;
      if (n.tag) r.tag = n.tag;
      return r;
    });
  }
  const az: string | undefined = s.availability_zone;
  if (az?.includes(':') || s.host)
    req.authorize('os_compute_api:servers:create:forced_host', { project_id: projectId });
  const hints = {
    ...(req.body['os:scheduler_hints'] ?? {}),
    ...(req.body['OS-SCH-HNT:scheduler_hints'] ?? {}),
  };
  const caller = callerContext(req);
  // The agent makes and connects the server's volumes acting for the caller, as nova-compute does.
  if (blockDevices.some((b) => b.destinationType === 'volume'))
    caller.rpc = { ...caller.rpc, authToken: req.credentials.token };
  const created = await req.services.servers.create(caller, {
    name: s.name,
    flavorRef: String(s.flavorRef),
    imageRef: s.imageRef ? String(s.imageRef).replace(/^.*\//, '') : '',
    ...(blockDevices.length ? { blockDevices } : {}),
    networks,
    ...(s.key_name !== undefined ? { keyName: s.key_name } : {}),
    ...(s.user_data !== undefined ? { userData: s.user_data } : {}),
    metadata: s.metadata ?? {},
    ...(az !== undefined ? { availabilityZone: az } : s.host ? { availabilityZone: `:${s.host}` } : {}),
    securityGroups: (s.security_groups ?? []).map((g: { name?: string }) => g.name ?? 'default'),
    ...(s.description !== undefined ? { description: s.description } : {}),
    ...(s.hostname !== undefined ? { hostname: s.hostname } : {}),
    tags: s.tags ?? [],
    configDrive: s.config_drive === true || s.config_drive === 'true' || s.config_drive === 'True',
    minCount,
    maxCount,
    ...(s.accessIPv4 !== undefined ? { accessIpV4: s.accessIPv4 } : {}),
    ...(s.accessIPv6 !== undefined ? { accessIpV6: compactIpv6(s.accessIPv6) } : {}),
    ...(s.adminPass !== undefined ? { adminPass: s.adminPass } : {}),
    schedulerHints: hints,
    ...(s['OS-DCF:diskConfig'] !== undefined ? { diskConfig: s['OS-DCF:diskConfig'] } : {}),
  });
  const first = created[0]!;
  const returnReservation =
    s.return_reservation_id === true ||
    s.return_reservation_id === 'true' ||
    s.return_reservation_id === 'True';
  if (returnReservation) return respond(202, { reservation_id: first.reservationId });
  const server: Record<string, unknown> = {
    id: first.uuid,
    links: resourceLinks(req, 'servers', first.uuid),
    'OS-DCF:diskConfig': s['OS-DCF:diskConfig'] ?? 'MANUAL',
    security_groups: (s.security_groups ?? [{ name: 'default' }]).map((g: { name?: string }) => ({
      name: g.name ?? 'default',
    })),
    adminPass: s.adminPass ?? randomPassword(),
  };
  if (Array.isArray(s.networks) && s.networks.length === 0) delete server.security_groups;
  return respond(202, { server }, { location: `${req.baseUrl}/v2.1/servers/${first.uuid}` });
}

/** An IPv6 address in its compact form, as Nova stores it (`::babe:dc0c:1602`); 400 when not one. */
export function compactIpv6(addr: string): string {
  if (addr === '') return addr;
  try {
    const host = new URL(`http://[${addr}]/`).hostname;
    return host.slice(1, -1);
  } catch {
    throw new InvalidInput(
      `Invalid input for field/attribute accessIPv6. Value: ${addr}. '${addr}' is not a 'ipv6'`,
    );
  }
}

function isBase64(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  return /^[A-Za-z0-9+/]*={0,2}$/.test(compact) && compact.length % 4 === 0;
}

/** A generated admin password (Nova's character set, 12 characters). */
export function randomPassword(): string {
  const chars = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return [...bytes].map((b) => chars[b % chars.length]).join('');
}

/** `PUT /servers/{id}`. */
export async function updateServer(req: ComputeRequest<any>) {
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:servers:update');
  const s = req.body.server;
  const mv = req.microversion;
  if (s.description !== undefined && !mv.atLeast('2.19'))
    throw new InvalidInput("Additional properties are not allowed ('description' was unexpected)");
  if (s.hostname !== undefined && !mv.atLeast('2.90'))
    throw new InvalidInput("Additional properties are not allowed ('hostname' was unexpected)");
  await req.services.instances.update(i.uuid, {
    ...(s.name !== undefined ? { display_name: s.name } : {}),
    ...(s.description !== undefined ? { display_description: s.description } : {}),
    ...(s.hostname !== undefined ? { hostname: s.hostname } : {}),
    ...(s.accessIPv4 !== undefined ? { access_ip_v4: s.accessIPv4 } : {}),
    ...(s.accessIPv6 !== undefined ? { access_ip_v6: compactIpv6(s.accessIPv6) } : {}),
    ...(s['OS-DCF:diskConfig'] !== undefined
      ? { system_metadata: withDiskConfig(i.systemMetadata, s['OS-DCF:diskConfig']) }
      : {}),
  });
  const now = (await req.services.instances.get(i.uuid))!;
  return { server: await withServerGroups(req, now, fullView(req, now, !mv.atLeast('2.75'))) };
}

/** `DELETE /servers/{id}`. */
export async function deleteServer(req: ComputeRequest<unknown>) {
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:servers:delete');
  await req.services.servers.delete(callerContext(req), i);
  return respond(204);
}

/** `GET /servers/{id}/ips`. */
export async function listIps(req: ComputeRequest<unknown>) {
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:ips:index');
  return {
    addresses: Object.fromEntries(
      Object.entries(addressesView(i)).map(([k, v]) => [
        k,
        (v as Record<string, unknown>[]).map((a) => ({ version: a.version, addr: a.addr })),
      ]),
    ),
  };
}

/** `GET /servers/{id}/ips/{network}`. */
export async function showIps(req: ComputeRequest<unknown>) {
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:ips:show');
  const net = req.params.network_label!;
  const a = addressesView(i)[net];
  if (!a) throw new NotFoundError('Instance is not a member of specified network');
  return { [net]: (a as Record<string, unknown>[]).map((x) => ({ version: x.version, addr: x.addr })) };
}
