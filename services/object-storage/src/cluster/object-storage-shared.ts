import { resolve } from 'node:path';
import type { ServiceContext } from '@nimbus/service';
import { clusterOptions } from '../conf/options';
import type { RingName } from '../ring/ring-data';
import type { RingNode } from '../ring/ring';
import { type LocalCluster, openLocalCluster } from './local-cluster';

/** What the roles of object storage share in one process. */
export interface ObjectStorageShared {
  cluster: LocalCluster;
  /** This host's address in the rings. */
  storageIp: string;
  /** The devices of a ring this host serves, as ring nodes (what the daemons walk). */
  localDevices(ring: RingName): RingNode[];
}

/** Which storage server role serves which ring. */
export const storageServerRoles: Record<string, RingName> = {
  'account-server': 'account',
  'container-server': 'container',
  'object-server': 'object',
};

/**
 * Opens this host's cluster for the roles running here: salt and rings (built on first start),
 * the storage node over the local devices, and in-process request routing to the storage
 * servers whose roles run in this process (the others are reached over HTTP).
 */
export function openObjectStorage(ctx: ServiceContext): ObjectStorageShared {
  const o = ctx.config.group(clusterOptions);
  const base = resolve(ctx.dataDir, 'object-storage');
  const cluster = openLocalCluster({
    ringDir: o.ring_dir ? resolve(o.ring_dir) : resolve(base, 'rings'),
    devicesDir: o.devices ? resolve(o.devices) : resolve(base, 'devices'),
    hashPrefix: o.swift_hash_path_prefix,
    hashSuffix: o.swift_hash_path_suffix,
    layout: {
      partPower: o.part_power,
      replicas: o.replicas,
      minPartHours: o.min_part_hours,
      deviceCount: o.device_count,
      ip: o.storage_ip,
      ports: { object: o.object_port, container: o.container_port, account: o.account_port },
    },
    serve: ctx.roles.flatMap((r) => (storageServerRoles[r] ? [storageServerRoles[r]] : [])),
    fsync: o.fsync,
    reclaimAge: o.reclaim_age,
    nodeTimeoutMs: o.node_timeout * 1000,
    constraints: {
      max_file_size: o.max_file_size,
      container_listing_limit: o.container_listing_limit,
      account_listing_limit: o.account_listing_limit,
    },
    accountAutocreate: o.account_autocreate,
    expiringDivisor: o.expiring_objects_container_divisor,
    log: ctx.logger,
  });
  return {
    cluster,
    storageIp: o.storage_ip,
    localDevices: (ring) =>
      cluster.rings[ring].devices
        .filter((d) => d.ip === o.storage_ip)
        .map((d) => ({ ...d, index: 0, handoff: false })),
  };
}
