import type { Kysely } from 'kysely';
import { invalidInput, NeutronError } from '../network-errors';
import {
  flatTypeDriver,
  GRE_BOUNDS,
  localTypeDriver,
  parseRanges,
  parseVlanRanges,
  type Segment,
  type TypeDriver,
  tunnelTypeDriver,
  VNI_BOUNDS,
  vlanTypeDriver,
} from './type-driver';

/** The configuration the type drivers are built from (`[ml2]`, `[ml2_type_*]`). */
export interface TypeManagerOptions {
  typeDrivers: readonly string[];
  tenantNetworkTypes: readonly string[];
  flatNetworks: readonly string[];
  networkVlanRanges: readonly string[];
  vxlanVniRanges: readonly string[];
  greTunnelIdRanges: readonly string[];
  geneveVniRanges: readonly string[];
  geneveMaxHeaderSize: number;
  /** The physical MTU, and the overlay path's (0: the physical one). */
  physnetMtu: number;
  pathMtu: number;
}

/** Free ids a project network is given one of at random, so concurrent creates seldom collide. */
const SPREAD = 16;
/** Ranges at least this large are probed at random rather than scanned. */
const PROBE_THRESHOLD = 4096;

/** The allocations table: one row per taken (type, physical network, id); flat takes id 0. */
const ALLOCATIONS = 'ml2_segment_allocations';

/** neutron_lib's NoNetworkAvailable (503). */
export const noNetworkAvailable = () =>
  new NeutronError(
    'unavailable',
    'NoNetworkAvailable',
    'Unable to create the network. No tenant network is available for allocation.',
  );

/**
 * ML2's type manager: the loaded type drivers, the types project networks get, and the
 * segment allocations. An allocation is a row whose primary key is the segment, so two
 * networks can never hold one segment: a concurrent loser's insert fails (DuplicateEntryError)
 * and its caller retries the whole transaction, where the check before the insert then answers
 * the upstream in-use error (explicit segment) or another free id (allocated segment).
 */
export class TypeManager {
  readonly drivers: ReadonlyMap<string, TypeDriver>;

  constructor(private readonly options: TypeManagerOptions) {
    const all: TypeDriver[] = [
      localTypeDriver(),
      flatTypeDriver(options.flatNetworks),
      vlanTypeDriver(parseVlanRanges(options.networkVlanRanges)),
      tunnelTypeDriver('vxlan', parseRanges(options.vxlanVniRanges, VNI_BOUNDS, 'VXLAN VNI'), 50),
      tunnelTypeDriver('gre', parseRanges(options.greTunnelIdRanges, GRE_BOUNDS, 'GRE tunnel id'), 42),
      tunnelTypeDriver(
        'geneve',
        parseRanges(options.geneveVniRanges, VNI_BOUNDS, 'Geneve VNI'),
        options.geneveMaxHeaderSize + 28,
      ),
    ];
    this.drivers = new Map(all.filter((d) => options.typeDrivers.includes(d.type)).map((d) => [d.type, d]));
    for (const t of options.tenantNetworkTypes)
      if (!this.drivers.has(t)) throw new Error(`[ml2] tenant_network_types: '${t}' is not in type_drivers`);
  }

  /** The driver of a type, or upstream's InvalidInput for a type that is not loaded. */
  driver(type: string): TypeDriver {
    const d = this.drivers.get(type);
    if (!d) throw invalidInput(`network_type value '${type}' not supported`);
    return d;
  }

  /** Checks provider requests before anything is written (bad input is a 400, never half-written). */
  validate(requests: readonly Segment[]): Segment[] {
    return requests.map((r) => this.driver(r.networkType).validate(r));
  }

  /**
   * Reserves the segments of a network in the caller's transaction: the requested ones (their
   * ids allocated where not given), else one of the first project network type that has a free
   * id. Answers them in order.
   */
  async reserve(
    trx: Kysely<any>,
    networkId: string,
    requests: readonly Segment[] | null,
  ): Promise<Segment[]> {
    if (requests?.length) {
      const out: Segment[] = [];
      for (const r of this.validate(requests)) out.push(await this.reserveOne(trx, networkId, r));
      return out;
    }
    for (const type of this.options.tenantNetworkTypes) {
      const d = this.driver(type);
      if (!d.hasIds) return [{ networkType: type, physicalNetwork: null, segmentationId: null }];
      const got = await this.allocate(trx, networkId, d, null);
      if (got) return [got];
    }
    throw noNetworkAvailable();
  }

  /** Reserves one more segment (the segments API). */
  async reserveOne(trx: Kysely<any>, networkId: string, request: Segment): Promise<Segment> {
    const d = this.driver(request.networkType);
    const s = d.validate(request);
    if (d.hasIds && s.segmentationId === null) {
      const got = await this.allocate(trx, networkId, d, s.physicalNetwork);
      if (!got) throw noNetworkAvailable();
      return got;
    }
    if (d.hasIds || d.type === 'flat') {
      const key = { type: d.type, physnet: s.physicalNetwork ?? '', id: s.segmentationId ?? 0 };
      if (await this.taken(trx, key.type, key.physnet, key.id)) throw d.inUse(s);
      await insertAllocation(trx, key, networkId);
    }
    return s;
  }

  /** A free id from the driver's pools (only `physnet`'s when given), inserted; undefined when none. */
  private async allocate(
    trx: Kysely<any>,
    networkId: string,
    d: TypeDriver,
    physnet: string | null,
  ): Promise<Segment | undefined> {
    const pools = d.pools.filter((p) => physnet === null || p.physicalNetwork === physnet);
    for (const pool of pools) {
      const candidates: number[] = [];
      const physnetKey = pool.physicalNetwork ?? '';
      // Large ranges (VNIs): a few random probes by primary key find a free id at once while the
      // range is mostly free; small or crowded ones are scanned for their first free ids.
      for (const [lo, hi] of pool.ranges) {
        if (hi - lo + 1 < PROBE_THRESHOLD) continue;
        for (let i = 0; i < SPREAD && !candidates.length; i++) {
          const id = lo + Math.floor(Math.random() * (hi - lo + 1));
          if (!(await this.taken(trx, d.type, physnetKey, id))) candidates.push(id);
        }
        if (candidates.length) break;
      }
      for (const [lo, hi] of candidates.length ? [] : pool.ranges) {
        const used = await trx
          .selectFrom(ALLOCATIONS)
          .select('segmentation_id')
          .where('network_type', '=', d.type)
          .where('physical_network', '=', physnetKey)
          .where('segmentation_id', '>=', lo)
          .where('segmentation_id', '<=', hi)
          .orderBy('segmentation_id')
          .execute();
        candidates.push(
          ...firstFree(
            lo,
            hi,
            used.map((u) => Number(u.segmentation_id)),
            SPREAD - candidates.length,
          ),
        );
        if (candidates.length >= SPREAD) break;
      }
      if (!candidates.length) continue;
      const id = candidates[Math.floor(Math.random() * candidates.length)]!;
      await insertAllocation(trx, { type: d.type, physnet: pool.physicalNetwork ?? '', id }, networkId);
      return { networkType: d.type, physicalNetwork: pool.physicalNetwork, segmentationId: id };
    }
    return undefined;
  }

  private async taken(trx: Kysely<any>, type: string, physnet: string, id: number): Promise<boolean> {
    const row = await trx
      .selectFrom(ALLOCATIONS)
      .select('network_id')
      .where('network_type', '=', type)
      .where('physical_network', '=', physnet)
      .where('segmentation_id', '=', id)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Frees one segment's allocation (the segments API) or all of a network's. */
  async release(trx: Kysely<any>, networkId: string, segment?: Segment): Promise<void> {
    let q = trx.deleteFrom(ALLOCATIONS).where('network_id', '=', networkId);
    if (segment)
      q = q
        .where('network_type', '=', segment.networkType)
        .where('physical_network', '=', segment.physicalNetwork ?? '')
        .where('segmentation_id', '=', segment.segmentationId ?? 0);
    await q.execute();
  }

  /** The MTU of a network over its segments: the smallest of theirs. */
  mtu(segments: readonly Segment[]): number {
    const path = this.options.pathMtu || this.options.physnetMtu;
    const mtus = segments.map((s) => {
      const d = this.driver(s.networkType);
      return ['vxlan', 'gre', 'geneve'].includes(s.networkType)
        ? d.mtu(path)
        : d.mtu(this.options.physnetMtu);
    });
    return mtus.length ? Math.min(...mtus) : this.options.physnetMtu;
  }
}

/** Up to `count` free ids of [lo, hi], lowest first, given the sorted used ids of that range. */
export function firstFree(lo: number, hi: number, usedSorted: readonly number[], count: number): number[] {
  const out: number[] = [];
  let next = lo;
  for (const u of usedSorted) {
    while (next < u && out.length < count) out.push(next++);
    if (out.length >= count) return out;
    next = Math.max(next, u + 1);
  }
  while (next <= hi && out.length < count) out.push(next++);
  return out;
}

async function insertAllocation(
  trx: Kysely<any>,
  key: { type: string; physnet: string; id: number },
  networkId: string,
): Promise<void> {
  await trx
    .insertInto(ALLOCATIONS)
    .values({
      network_type: key.type,
      physical_network: key.physnet,
      segmentation_id: key.id,
      network_id: networkId,
    })
    .execute();
}
