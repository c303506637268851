import { respond } from '@nimbus/http';
import type { MessageRecord } from '../../db/records';
import { CinderInvalid, CinderNotFound } from '../../manager/cinder-errors';
import { cinderTime } from '../../manager/clock';
import { authorize, callerOf, checkProject, parseBool, q, type Req } from '../cinder-request';
import { implementedExtensions } from './extension-list';

/** `GET /extensions`. */
export function listExtensions(req: Req) {
  checkProject(req);
  return {
    extensions: implementedExtensions.map((e) => ({
      alias: e.alias,
      name: e.name,
      description: e.description,
      updated: '2022-08-31T00:00:00+00:00',
      links: [],
    })),
  };
}

/** `GET /os-availability-zone`. */
export async function listAvailabilityZones(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:availability_zone_list');
  const services = (await req.services.stores.services.list()).filter((s) => s.binary === 'cinder-volume');
  const zones = new Map<string, boolean>();
  for (const s of services)
    zones.set(s.zone, (zones.get(s.zone) ?? false) || (!s.disabled && s.backend_state === 'up'));
  if (!zones.size) zones.set(req.services.options.zone, false);
  return {
    availabilityZoneInfo: [...zones].map(([zoneName, available]) => ({ zoneName, zoneState: { available } })),
  };
}

/** `GET /limits`: absolute limits and the project's usage. */
export async function showLimits(req: Req) {
  checkProject(req);
  const caller = callerOf(req);
  const projectId = caller.isAdmin && q(req, 'project_id') ? String(q(req, 'project_id')) : caller.projectId;
  const limits = await req.services.quotas.projectLimits(projectId);
  const usage = await req.services.quotas.usage(projectId);
  return {
    limits: {
      rate: [],
      absolute: {
        maxTotalVolumes: limits.volumes,
        maxTotalSnapshots: limits.snapshots,
        maxTotalVolumeGigabytes: limits.gigabytes,
        maxTotalBackups: limits.backups,
        maxTotalBackupGigabytes: limits.backup_gigabytes,
        totalVolumesUsed: usage.volumes ?? 0,
        totalSnapshotsUsed: usage.snapshots ?? 0,
        totalGigabytesUsed: usage.gigabytes ?? 0,
        totalBackupsUsed: usage.backups ?? 0,
        totalBackupGigabytesUsed: usage.backup_gigabytes ?? 0,
      },
    },
  };
}

/** `GET /os-services` (host and binary filters). */
export async function listServices(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:services:index');
  const host = q(req, 'host');
  const binary = q(req, 'binary');
  const downAfter = cinderTime(new Date(Date.now() - 60_000));
  const services = (await req.services.stores.services.list()).filter(
    (s) => (!host || s.host === host || s.host.split('@')[0] === host) && (!binary || s.binary === binary),
  );
  return {
    services: services.map((s) => ({
      binary: s.binary,
      host: s.host,
      zone: s.zone,
      status: s.disabled ? 'disabled' : 'enabled',
      state: s.heartbeat_at >= downAfter ? 'up' : 'down',
      updated_at: s.heartbeat_at,
      disabled_reason: s.disabled_reason,
      ...(s.binary === 'cinder-volume'
        ? {
            frozen: s.frozen,
            replication_status: 'disabled',
            active_backend_id: null,
            ...(req.microversion.atLeast('3.49') ? { backend_state: s.backend_state } : {}),
          }
        : {}),
      ...(req.microversion.atLeast('3.7') ? { cluster: null } : {}),
    })),
  };
}

/** `PUT /os-services/{action}`: enable, disable, disable-log-reason, freeze, thaw. */
export async function updateService(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:services:update');
  const action = String(req.params.action);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const host = body.host;
  const binary = body.binary ?? body.service;
  if (action === 'freeze' || action === 'thaw') {
    if (typeof host !== 'string') throw new CinderInvalid('Missing required element host.');
    const s = (await req.services.stores.services.list()).find(
      (x) => x.binary === 'cinder-volume' && x.host === host,
    );
    if (!s) throw new CinderInvalid(`Invalid host: ${host} is not a volume service host.`);
    await req.services.stores.services.update(s.id, () => ({ frozen: action === 'freeze' }));
    return respond(200);
  }
  if (!['enable', 'disable', 'disable-log-reason'].includes(action)) {
    throw new CinderNotFound('Action', action);
  }
  if (typeof host !== 'string' || typeof binary !== 'string') {
    throw new CinderInvalid('Invalid input received: host and binary must be given.');
  }
  const reason = action === 'disable-log-reason' ? body.disabled_reason : undefined;
  if (
    action === 'disable-log-reason' &&
    (typeof reason !== 'string' || !reason.trim() || reason.length > 255)
  ) {
    throw new CinderInvalid('Disabled reason contains invalid characters or is too long');
  }
  const s = (await req.services.stores.services.list()).find((x) => x.host === host && x.binary === binary);
  if (!s) throw new CinderNotFound('Service', `${binary} on host ${host}`);
  const disabled = action !== 'enable';
  await req.services.stores.services.update(s.id, () => ({
    disabled,
    disabled_reason: disabled ? ((reason as string | undefined) ?? null) : null,
  }));
  return {
    host,
    service: binary,
    binary,
    disabled,
    status: disabled ? 'disabled' : 'enabled',
    ...(action === 'disable-log-reason'
      ? { disabled_reason: reason }
      : action === 'enable'
        ? { disabled_reason: null }
        : {}),
  };
}

/** `GET /scheduler-stats/get_pools` (`detail`, and filters at 3.28). */
export async function getPools(req: Req) {
  checkProject(req);
  authorize(req, 'scheduler_extension:scheduler_stats:get_pools');
  const detail = q(req, 'detail') !== undefined && parseBool(q(req, 'detail'), 'detail');
  const services = (await req.services.stores.services.list()).filter((s) => s.binary === 'cinder-volume');
  const pools = services.flatMap((s) =>
    s.pools.map((p) => ({ name: `${s.host}#${p.name}`, capabilities: p.stats })),
  );
  const wanted = q(req, 'volume_type');
  let shown = pools;
  if (wanted && req.microversion.atLeast('3.28')) {
    const t = await req.services.types.find(callerOf(req), wanted);
    const backend = t.extra_specs.volume_backend_name;
    shown = pools.filter((p) => !backend || p.capabilities.volume_backend_name === backend);
  }
  return {
    pools: shown.map((p) =>
      detail
        ? { name: p.name, capabilities: { ...p.capabilities, updated: p.capabilities.timestamp } }
        : { name: p.name },
    ),
  };
}

/** `GET /capabilities/{host}`: a backend's capabilities (`host@backend`). */
export async function showCapabilities(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:capabilities');
  const host = String(req.params.host);
  const s = (await req.services.stores.services.list()).find(
    (x) => x.binary === 'cinder-volume' && x.host === host,
  );
  if (!s) throw new CinderNotFound('Service', host);
  const c = s.capabilities;
  const prop = (title: string, type: string, description: string) => ({ title, type, description });
  return {
    namespace: `OS::Storage::Capabilities::${host}`,
    vendor_name: String(c.vendor_name ?? 'Nimbus'),
    volume_backend_name: String(c.volume_backend_name ?? host),
    pool_name: null,
    driver_version: String(c.driver_version ?? '1.0'),
    storage_protocol: String(c.storage_protocol ?? 'file'),
    display_name: null,
    description: null,
    visibility: null,
    replication_targets: [],
    properties: {
      thin_provisioning: prop('Thin Provisioning', 'boolean', 'Sets thin provisioning.'),
      compression: prop('Compression', 'boolean', 'Enables compression.'),
      qos: prop('QoS', 'boolean', 'Enables QoS.'),
      multiattach: prop('Multiattach', 'boolean', 'Enables multiattach.'),
    },
  };
}

function messageView(req: Req, m: MessageRecord) {
  return {
    id: m.id,
    event_id: m.event_id,
    user_message: m.user_message,
    message_level: m.message_level,
    resource_type: m.resource_type,
    ...(m.resource_uuid ? { resource_uuid: m.resource_uuid } : {}),
    created_at: m.created_at,
    guaranteed_until: m.expires_at,
    request_id: m.request_id,
    links: [{ href: `${req.baseUrl}/v3/${m.project_id}/messages/${m.id}`, rel: 'self' }],
  };
}

/** `GET /messages` (3.3). */
export async function listMessages(req: Req) {
  checkProject(req);
  authorize(req, 'message:get_all');
  let items = await req.services.messages.list(callerOf(req));
  for (const key of ['resource_type', 'resource_uuid', 'event_id', 'message_level', 'request_id'] as const) {
    const v = q(req, key);
    if (v !== undefined) items = items.filter((m) => String(m[key]) === v);
  }
  return { messages: items.map((m) => messageView(req, m)) };
}

/** `GET /messages/{id}`. */
export async function showMessage(req: Req) {
  checkProject(req);
  const m = await req.services.messages.get(callerOf(req), String(req.params.message_id));
  authorize(req, 'message:get', m.project_id);
  return { message: messageView(req, m) };
}

/** `DELETE /messages/{id}` (204). */
export async function deleteMessage(req: Req) {
  checkProject(req);
  const m = await req.services.messages.get(callerOf(req), String(req.params.message_id));
  authorize(req, 'message:delete', m.project_id);
  await req.services.messages.delete(callerOf(req), m.id);
  return respond(204);
}
