import { createHash } from 'node:crypto';
import type { ApiRequest } from '@nimbus/http';
import type { Instance } from '../../db/instance-repository';
import { diskConfigOf } from '../../manager/disk-config';
import { serverStatus } from '../../manager/vm-states';
import { isoMicros, isoSeconds, resourceLinks } from '../compute-view-helpers';

const PROGRESS_STATUSES = new Set(['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING']);

/** `hostId`: a per-project hash of the host, so tenants can tell co-location without the name. */
export function hostId(instance: Instance): string {
  if (!instance.host) return '';
  return createHash('sha224').update(`${instance.projectId}${instance.host}`).digest('hex');
}

/** The server's `addresses`, by network name. */
export function addressesView(instance: Instance): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const vif of instance.networkInfo) {
    const list = out[vif.network_name] ?? [];
    out[vif.network_name] = list;
    for (const ip of vif.fixed_ips) {
      list.push({
        version: ip.version,
        addr: ip.ip_address,
        'OS-EXT-IPS:type': 'fixed',
        'OS-EXT-IPS-MAC:mac_addr': vif.mac_address,
      });
    }
  }
  return out;
}

/** The brief form of `GET /servers`. */
export function serverBriefView(req: ApiRequest, i: Instance): Record<string, unknown> {
  return { id: i.uuid, name: i.name, links: resourceLinks(req, 'servers', i.uuid) };
}

/** The full form (show, detail), per microversion and the caller's rights. */
export function serverView(
  req: ApiRequest,
  i: Instance,
  opts: { admin: boolean; extraSpecs: boolean; hostStatus?: string; brief?: boolean },
): Record<string, unknown> {
  const mv = req.microversion;
  const status = serverStatus(i.vmState, i.taskState);
  const f = i.flavor;
  const flavor = mv.atLeast('2.47')
    ? {
        vcpus: f.vcpus,
        ram: f.memory_mb,
        disk: f.root_gb,
        ephemeral: f.ephemeral_gb,
        swap: f.swap,
        original_name: f.name,
        ...(opts.extraSpecs ? { extra_specs: f.extra_specs } : {}),
      }
    : { id: f.flavorid, links: [{ rel: 'bookmark', href: `${req.baseUrl}/flavors/${f.flavorid}` }] };
  const v: Record<string, unknown> = {
    id: i.uuid,
    name: i.name,
    status,
    tenant_id: i.projectId,
    user_id: i.userId,
    metadata: i.metadata,
    hostId: hostId(i),
    image: i.imageRef
      ? { id: i.imageRef, links: [{ rel: 'bookmark', href: `${req.baseUrl}/images/${i.imageRef}` }] }
      : '',
    flavor,
    created: isoSeconds(i.createdAt),
    updated: isoSeconds(i.updatedAt ?? i.createdAt),
    addresses: addressesView(i),
    accessIPv4: i.accessIpV4 ?? '',
    accessIPv6: i.accessIpV6 ?? '',
    links: resourceLinks(req, 'servers', i.uuid),
    'OS-DCF:diskConfig': diskConfigOf(i),
    'OS-EXT-AZ:availability_zone': i.availabilityZone ?? '',
    config_drive: i.configDrive,
    key_name: i.keyName,
    'OS-SRV-USG:launched_at': isoMicros(i.launchedAt),
    'OS-SRV-USG:terminated_at': isoMicros(i.terminatedAt),
    'OS-EXT-STS:task_state': i.taskState,
    'OS-EXT-STS:vm_state': i.vmState,
    'OS-EXT-STS:power_state': i.powerState,
    'os-extended-volumes:volumes_attached': [],
    security_groups: i.securityGroups.length
      ? i.securityGroups.map((name) => ({ name }))
      : i.networkInfo.length
        ? [{ name: 'default' }]
        : undefined,
  };
  if (v.security_groups === undefined) delete v.security_groups;
  if (PROGRESS_STATUSES.has(status)) v.progress = i.progress;
  if (opts.admin) {
    v['OS-EXT-SRV-ATTR:host'] = i.host;
    v['OS-EXT-SRV-ATTR:instance_name'] = `instance-${i.uuid.slice(0, 8)}`;
    v['OS-EXT-SRV-ATTR:hypervisor_hostname'] = i.node;
    if (mv.atLeast('2.3')) {
      v['OS-EXT-SRV-ATTR:reservation_id'] = i.reservationId;
      v['OS-EXT-SRV-ATTR:launch_index'] = i.launchIndex;
      v['OS-EXT-SRV-ATTR:hostname'] = i.hostname;
      v['OS-EXT-SRV-ATTR:kernel_id'] = '';
      v['OS-EXT-SRV-ATTR:ramdisk_id'] = '';
      v['OS-EXT-SRV-ATTR:root_device_name'] = '/dev/vda';
      v['OS-EXT-SRV-ATTR:user_data'] = i.userData;
    }
  } else if (mv.atLeast('2.90')) {
    v['OS-EXT-SRV-ATTR:hostname'] = i.hostname;
  }
  if (mv.atLeast('2.9')) v.locked = i.lockedBy !== null;
  if (mv.atLeast('2.16') && opts.hostStatus !== undefined) v.host_status = opts.hostStatus;
  if (mv.atLeast('2.19')) v.description = i.description;
  if (mv.atLeast('2.26')) v.tags = i.tags;
  if (mv.atLeast('2.63')) v.trusted_image_certificates = null;
  if (mv.atLeast('2.73')) v.locked_reason = i.lockedReason;
  if (opts.brief) {
    // What an update answers: the base view, without the extensions' attributes (as upstream).
    for (const k of Object.keys(v)) if (/^(OS-EXT-|OS-SRV-USG|os-extended-volumes)/.test(k)) delete v[k];
    for (const k of ['config_drive', 'key_name', 'security_groups', 'host_status']) delete v[k];
    v.addresses = Object.fromEntries(
      Object.entries(addressesView(i)).map(([n, list]) => [
        n,
        (list as Record<string, unknown>[]).map((a) => ({ version: a.version, addr: a.addr })),
      ]),
    );
  }
  if (i.fault && (status === 'ERROR' || status === 'DELETED')) {
    v.fault = {
      code: i.fault.code,
      created: isoSeconds(i.fault.created),
      message: i.fault.message,
      ...(opts.admin || i.fault.code !== 500 ? { details: i.fault.details } : {}),
    };
  }
  return v;
}
