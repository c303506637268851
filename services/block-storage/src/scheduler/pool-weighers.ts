import type { CandidatePool } from './pool-filters';

/** One weigher: a raw weight per pool; the scheduler normalises and multiplies. */
export interface PoolWeigher {
  name: string;
  weigh(pool: CandidatePool): number;
}

/** Free (virtual, for thin pools) capacity: more free ranks higher with a positive multiplier. */
export const capacityWeigher: PoolWeigher = {
  name: 'CapacityWeigher',
  weigh: (p) => {
    const reserved = (p.totalCapacityGb * p.reservedPercentage) / 100;
    const free = p.freeCapacityGb - reserved;
    return p.thinProvisioningSupport ? free * p.maxOverSubscriptionRatio - p.provisionedCapacityGb : free;
  },
};

/** Allocated capacity (negative multiplier by default: spread). */
export const allocatedCapacityWeigher: PoolWeigher = {
  name: 'AllocatedCapacityWeigher',
  weigh: (p) => p.allocatedCapacityGb,
};

/** Number of volumes (negative multiplier by default: fewest first). */
export const volumeNumberWeigher: PoolWeigher = {
  name: 'VolumeNumberWeigher',
  weigh: (p) => p.volumeCount,
};

/** The weighers by name, as `scheduler_default_weighers` lists them. */
export const poolWeighers: Record<string, PoolWeigher> = {
  CapacityWeigher: capacityWeigher,
  AllocatedCapacityWeigher: allocatedCapacityWeigher,
  VolumeNumberWeigher: volumeNumberWeigher,
};

/** Ranks pools: each weigher's weights are normalised to 0..1, times its multiplier, summed. */
export function rankPools(
  pools: CandidatePool[],
  weighers: { weigher: PoolWeigher; multiplier: number }[],
): CandidatePool[] {
  const total = new Map<CandidatePool, number>(pools.map((p) => [p, 0]));
  for (const { weigher, multiplier } of weighers) {
    const raw = pools.map((p) => weigher.weigh(p));
    const min = Math.min(...raw);
    const max = Math.max(...raw);
    pools.forEach((p, i) => {
      const norm = max === min ? 0 : ((raw[i] ?? 0) - min) / (max - min);
      total.set(p, (total.get(p) ?? 0) + norm * multiplier);
    });
  }
  return [...pools].sort((a, b) => (total.get(b) ?? 0) - (total.get(a) ?? 0));
}
