import { invalidInput, NeutronError } from '../network-errors';

/** One segment of a network: the type, the physical network it rides on, its VLAN / VNI / tunnel id. */
export interface Segment {
  networkType: string;
  physicalNetwork: string | null;
  segmentationId: number | null;
}

/** A pool of ids project networks are given: one physical network (or none, for tunnels) and its ranges. */
export interface IdPool {
  physicalNetwork: string | null;
  ranges: readonly (readonly [number, number])[];
}

/**
 * An ML2 type driver: the rules of one network type. Pure: it validates provider requests and
 * describes its pools; the segment allocator keeps the allocations in the database.
 */
export interface TypeDriver {
  readonly type: string;
  /**
   * Checks a provider segment request (admin's `provider:*` or one of `segments`) and answers
   * it normalized. A null `segmentationId` on a type with ids means "allocate one from the
   * pools". Throws InvalidInput as upstream words it.
   */
  validate(request: Segment): Segment;
  /** Pools project networks are allocated from; empty when the type gives none. */
  readonly pools: readonly IdPool[];
  /** Whether segments of the type hold an id (and so an allocation). */
  readonly hasIds: boolean;
  /** The MTU of a segment given the physical MTU. */
  mtu(physnetMtu: number): number;
  /** The error when the segment is taken by another network. */
  inUse(segment: Segment): NeutronError;
}

/** Parses `min:max` ranges, checked against the type's whole id space. */
export function parseRanges(
  specs: readonly string[],
  bounds: readonly [number, number],
  what: string,
): [number, number][] {
  return specs
    .map((s) => s.trim())
    .filter(Boolean)
    .map((spec) => {
      const m = /^(\d+):(\d+)$/.exec(spec);
      const lo = Number(m?.[1]);
      const hi = Number(m?.[2]);
      if (!m || lo > hi || lo < bounds[0] || hi > bounds[1])
        throw new Error(`invalid ${what} range '${spec}': expected min:max within ${bounds[0]}:${bounds[1]}`);
      return [lo, hi];
    });
}

/** Parses `network_vlan_ranges`: `physnet` (provider use only) or `physnet:min:max`. */
export function parseVlanRanges(specs: readonly string[]): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const raw of specs) {
    const spec = raw.trim();
    if (!spec) continue;
    const [physnet, ...rest] = spec.split(':');
    if (!physnet) throw new Error(`invalid network_vlan_ranges entry '${spec}': empty physical network name`);
    const ranges = out.get(physnet) ?? [];
    if (rest.length) ranges.push(...parseRanges([rest.join(':')], VLAN_BOUNDS, 'VLAN'));
    out.set(physnet, ranges);
  }
  return out;
}

export const VLAN_BOUNDS = [1, 4094] as const;
/** VXLAN and Geneve VNIs are 24 bits; GRE keys 32. */
export const VNI_BOUNDS = [1, 2 ** 24 - 1] as const;
export const GRE_BOUNDS = [1, 2 ** 32 - 1] as const;

const inUse = (type: string, message: string) => new NeutronError('conflict', type, message);

/** `local`: no physical network, no id; traffic never leaves the host. */
export function localTypeDriver(): TypeDriver {
  return {
    type: 'local',
    pools: [],
    hasIds: false,
    validate(s) {
      if (s.physicalNetwork !== null)
        throw invalidInput('provider:physical_network specified for local network');
      if (s.segmentationId !== null)
        throw invalidInput('provider:segmentation_id specified for local network');
      return s;
    },
    mtu: (physnetMtu) => physnetMtu,
    inUse: () => inUse('InUse', 'The resource is in use.'),
  };
}

/** `flat`: one untagged network per physical network listed in `flat_networks` (`*`: any). */
export function flatTypeDriver(flatNetworks: readonly string[]): TypeDriver {
  const any = flatNetworks.includes('*');
  return {
    type: 'flat',
    pools: [],
    hasIds: false,
    validate(s) {
      if (!s.physicalNetwork)
        throw invalidInput('provider:physical_network required for flat provider network');
      if (!any && !flatNetworks.includes(s.physicalNetwork))
        throw invalidInput(`physical_network '${s.physicalNetwork}' unknown for flat provider network`);
      if (s.segmentationId !== null)
        throw invalidInput('provider:segmentation_id specified for flat network');
      return s;
    },
    mtu: (physnetMtu) => physnetMtu,
    inUse: (s) =>
      inUse(
        'FlatNetworkInUse',
        `Unable to create the flat network. Physical network ${s.physicalNetwork} is in use.`,
      ),
  };
}

/** `vlan`: 802.1Q tags on the physical networks of `network_vlan_ranges`. */
export function vlanTypeDriver(vlanRanges: ReadonlyMap<string, readonly [number, number][]>): TypeDriver {
  return {
    type: 'vlan',
    pools: [...vlanRanges]
      .filter(([, r]) => r.length)
      .map(([physicalNetwork, ranges]) => ({ physicalNetwork, ranges })),
    hasIds: true,
    validate(s) {
      if (s.physicalNetwork === null) {
        if (s.segmentationId !== null)
          throw invalidInput('provider:physical_network required for VLAN provider network');
        return s;
      }
      if (!vlanRanges.has(s.physicalNetwork))
        throw invalidInput(`physical_network '${s.physicalNetwork}' unknown for VLAN provider network`);
      if (
        s.segmentationId !== null &&
        (s.segmentationId < VLAN_BOUNDS[0] || s.segmentationId > VLAN_BOUNDS[1])
      )
        throw invalidInput(
          `provider:segmentation_id out of range (${VLAN_BOUNDS[0]} through ${VLAN_BOUNDS[1]})`,
        );
      return s;
    },
    mtu: (physnetMtu) => physnetMtu,
    inUse: (s) =>
      inUse(
        'VlanIdInUse',
        `Unable to create the network. The VLAN ${s.segmentationId} on physical network ${s.physicalNetwork} is in use.`,
      ),
  };
}

/** A tunnel type (`vxlan`, `gre`, `geneve`): ids from ranges, no physical network. */
export function tunnelTypeDriver(
  type: 'vxlan' | 'gre' | 'geneve',
  ranges: readonly [number, number][],
  overhead: number,
): TypeDriver {
  const bounds = type === 'gre' ? GRE_BOUNDS : VNI_BOUNDS;
  const label = type === 'vxlan' ? 'VXLAN' : type === 'gre' ? 'GRE' : 'GENEVE';
  return {
    type,
    pools: ranges.length ? [{ physicalNetwork: null, ranges }] : [],
    hasIds: true,
    validate(s) {
      if (s.physicalNetwork !== null)
        throw invalidInput(`provider:physical_network specified for ${label} network`);
      if (s.segmentationId !== null && (s.segmentationId < bounds[0] || s.segmentationId > bounds[1]))
        throw invalidInput(`provider:segmentation_id out of range (${bounds[0]} through ${bounds[1]})`);
      return s;
    },
    mtu: (physnetMtu) => physnetMtu - overhead,
    inUse: (s) =>
      inUse('TunnelIdInUse', `Unable to create the network. The tunnel ID ${s.segmentationId} is in use.`),
  };
}
