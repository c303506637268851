import { createHash } from 'node:crypto';
import { type HashPathSalt, hashPath, partitionOf } from './hash-path';
import type { RingData, RingDevice } from './ring-data';

/** A device chosen for a request, with the replica index it holds for the partition. */
export interface RingNode extends RingDevice {
  /** Replica index for a primary; for a handoff, `replicas + n`. */
  index: number;
  handoff: boolean;
}

/**
 * Looks up where things live: the partition of a path, its primary devices (one per replica,
 * all distinct), and the handoff devices to try when primaries fail, as upstream's `Ring`.
 */
export class Ring {
  readonly partCount: number;
  private readonly liveDevices: RingDevice[];

  constructor(
    readonly data: RingData,
    private readonly salt: HashPathSalt,
  ) {
    this.partCount = 2 ** data.partPower;
    this.liveDevices = data.devices.filter((d): d is RingDevice => d !== null && d.weight > 0);
  }

  get replicas(): number {
    return this.data.replicas;
  }

  /** Every device of the ring, whatever its weight. */
  get devices(): RingDevice[] {
    return this.data.devices.filter((d): d is RingDevice => d !== null);
  }

  private readonly partCache = new Map<string, number>();

  /** The partition of a path (remembered for the most recent paths: each request asks twice). */
  partition(account: string, container?: string, object?: string): number {
    const key = `${account}\u0000${container ?? ''}\u0000${object ?? ''}\u0000${container === undefined ? 0 : object === undefined ? 1 : 2}`;
    let part = this.partCache.get(key);
    if (part === undefined) {
      part = partitionOf(hashPath(this.salt, account, container, object), this.data.partPower);
      if (this.partCache.size >= 8192) this.partCache.clear();
      this.partCache.set(key, part);
    }
    return part;
  }

  private readonly primaryCache = new Map<number, RingNode[]>();

  /** The primary devices of a partition, in replica order (shared: do not change the nodes). */
  primaries(part: number): RingNode[] {
    let nodes = this.primaryCache.get(part);
    if (!nodes) {
      nodes = this.findPrimaries(part);
      this.primaryCache.set(part, nodes);
    }
    return nodes;
  }

  private findPrimaries(part: number): RingNode[] {
    const nodes: RingNode[] = [];
    const seen = new Set<number>();
    this.data.assignment.forEach((row, index) => {
      const id = row[part];
      if (id === undefined || seen.has(id)) return;
      const dev = this.data.devices[id];
      if (!dev) return;
      seen.add(id);
      nodes.push({ ...dev, index, handoff: false });
    });
    return nodes;
  }

  /** Partition and primaries of a path. */
  nodes(account: string, container?: string, object?: string): { part: number; nodes: RingNode[] } {
    const part = this.partition(account, container, object);
    return { part, nodes: this.primaries(part) };
  }

  /**
   * Every other device, best handoff first: a device in a region the primaries do not use, then
   * a zone, then a host, then the rest; ties broken by a hash of partition and device so each
   * partition's handoffs differ but stay stable.
   */
  handoffs(part: number): RingNode[] {
    const primaries = this.primaries(part);
    const used = new Set(primaries.map((n) => n.id));
    const regions = new Set(primaries.map((n) => n.region));
    const zones = new Set(primaries.map((n) => `${n.region}/${n.zone}`));
    const hosts = new Set(primaries.map((n) => `${n.region}/${n.zone}/${n.ip}`));
    const tier = (d: RingDevice) => {
      if (!regions.has(d.region)) return 0;
      if (!zones.has(`${d.region}/${d.zone}`)) return 1;
      if (!hosts.has(`${d.region}/${d.zone}/${d.ip}`)) return 2;
      return 3;
    };
    const order = (d: RingDevice) => createHash('md5').update(`${part}:${d.id}`).digest().readUInt32BE(0);
    return this.liveDevices
      .filter((d) => !used.has(d.id))
      .map((d) => ({ d, t: tier(d), o: order(d) }))
      .sort((a, b) => a.t - b.t || a.o - b.o)
      .map(({ d }, i) => ({ ...d, index: this.data.replicas + i, handoff: true }));
  }
}
