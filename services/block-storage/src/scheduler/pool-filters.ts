import type { VolumeRecord, VolumeTypeRecord } from '../db/records';

/** A pool the scheduler may place a volume on: `host@backend#pool`, its zone and figures. */
export interface CandidatePool {
  /** `host@backend#pool`. */
  name: string;
  zone: string;
  totalCapacityGb: number;
  freeCapacityGb: number;
  allocatedCapacityGb: number;
  provisionedCapacityGb: number;
  reservedPercentage: number;
  maxOverSubscriptionRatio: number;
  thinProvisioningSupport: boolean;
  multiattach: boolean;
  /** Capabilities extra specs match against (`volume_backend_name`, `storage_protocol`...). */
  capabilities: Record<string, unknown>;
  /** Volumes on the pool now. */
  volumeCount: number;
}

/** What is being placed. */
export interface PlacementRequest {
  volume: VolumeRecord;
  type: VolumeTypeRecord | undefined;
  hints: Record<string, unknown>;
  /** Hosts of volumes named by affinity hints, resolved by the caller. */
  hostsOf: (volumeIds: string[]) => Set<string>;
}

/** A verdict with its reason, so the scheduler log says why a pool was left out. */
export type Verdict = { ok: true } | { ok: false; reason: string };

/** One scheduler filter. */
export interface PoolFilter {
  name: string;
  check(pool: CandidatePool, req: PlacementRequest): Verdict;
}

const pass: Verdict = { ok: true };
const reject = (reason: string): Verdict => ({ ok: false, reason });

/** The volume's zone must be the pool's. */
export const availabilityZoneFilter: PoolFilter = {
  name: 'AvailabilityZoneFilter',
  check: (pool, req) =>
    pool.zone === req.volume.availability_zone
      ? pass
      : reject(`pool is in zone ${pool.zone}, the volume wants ${req.volume.availability_zone}`),
};

/** Room for the volume, with reserved percentage and thin over-subscription, as upstream's. */
export const capacityFilter: PoolFilter = {
  name: 'CapacityFilter',
  check: (pool, req) => {
    const size = req.volume.size;
    const reserved = (pool.totalCapacityGb * pool.reservedPercentage) / 100;
    const free = pool.freeCapacityGb - reserved;
    const thin = pool.thinProvisioningSupport && req.type?.extra_specs.provisioning_type !== 'thick';
    if (thin && pool.maxOverSubscriptionRatio >= 1) {
      const provisionedRatio = (pool.provisionedCapacityGb + size) / pool.totalCapacityGb;
      if (pool.totalCapacityGb > 0 && provisionedRatio > pool.maxOverSubscriptionRatio) {
        return reject(
          `provisioned ratio ${provisionedRatio.toFixed(2)} would exceed max_over_subscription_ratio ${pool.maxOverSubscriptionRatio}`,
        );
      }
      const virtualFree = free * pool.maxOverSubscriptionRatio;
      return virtualFree >= size
        ? pass
        : reject(`needs ${size} GB, ${virtualFree.toFixed(1)} GB virtual free`);
    }
    return free >= size ? pass : reject(`needs ${size} GB, ${free.toFixed(1)} GB free`);
  },
};

/** Extra specs (`key`, `capabilities:key`, `<is> True`, `<in> x`, `>= n`...) must match the pool. */
export const capabilitiesFilter: PoolFilter = {
  name: 'CapabilitiesFilter',
  check: (pool, req) => {
    for (const [rawKey, wanted] of Object.entries(req.type?.extra_specs ?? {})) {
      let key = rawKey;
      if (key.includes(':')) {
        const [scope, rest] = key.split(':', 2) as [string, string];
        if (scope !== 'capabilities') continue;
        key = rest;
      }
      if (key === 'multiattach') {
        if (wanted === '<is> True' && !pool.multiattach) return reject('pool does not support multiattach');
        continue;
      }
      if (['provisioning_type', 'RESKEY', 'replication_enabled'].includes(key)) continue;
      const have =
        key === 'volume_backend_name' ? pool.capabilities.volume_backend_name : pool.capabilities[key];
      if (!matches(have, wanted)) return reject(`capability ${key}=${String(have)} does not match ${wanted}`);
    }
    return pass;
  },
};

/** `same_host` / `different_host` hints: volumes to sit with, or away from. */
export const affinityFilter: PoolFilter = {
  name: 'AffinityFilter',
  check: (pool, req) => {
    const host = pool.name.split('#')[0] ?? pool.name;
    const same = idList(req.hints.same_host);
    if (same.length && !req.hostsOf(same).has(host)) return reject('not the host of the same_host volumes');
    const different = idList(req.hints.different_host);
    if (different.length && req.hostsOf(different).has(host)) return reject('hosts a different_host volume');
    return pass;
  },
};

/** The filters by name, as `scheduler_default_filters` lists them. */
export const poolFilters: Record<string, PoolFilter> = {
  AvailabilityZoneFilter: availabilityZoneFilter,
  CapacityFilter: capacityFilter,
  CapabilitiesFilter: capabilitiesFilter,
  AffinityFilter: affinityFilter,
  SameBackendFilter: affinityFilter,
  DifferentBackendFilter: affinityFilter,
};

/** A hint's volume ids (one id or a list). */
export function idList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.map(String) : [];
}

/** oslo's extra-spec operators, as Cinder's capabilities filter reads them. */
export function matches(have: unknown, wanted: string): boolean {
  const w = wanted.trim();
  const m = /^(<is>|<in>|<or>|<s>=|<s><|<s>>|<s>==|<s>!=|==|!=|>=|<=)\s*(.*)$/.exec(w);
  if (!m) return String(have) === w;
  const [, op, arg = ''] = m;
  const h = String(have);
  switch (op) {
    case '<is>':
      return h.toLowerCase() === arg.trim().toLowerCase();
    case '<in>':
      return h.includes(arg.trim());
    case '<or>':
      return arg
        .split('<or>')
        .map((s) => s.trim())
        .includes(h);
    case '==':
      return Number(have) === Number(arg);
    case '!=':
      return Number(have) !== Number(arg);
    case '>=':
      return Number(have) >= Number(arg);
    case '<=':
      return Number(have) <= Number(arg);
    case '<s>==':
      return h === arg.trim();
    case '<s>!=':
      return h !== arg.trim();
    case '<s>=':
      return h === arg.trim();
    case '<s><':
      return h < arg.trim();
    case '<s>>':
      return h > arg.trim();
    default:
      return false;
  }
}
