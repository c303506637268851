import type { RingData, RingDevice } from './ring-data';

/** No partition is assigned (a fresh ring, a removed device, a raised replica count). */
const NONE = 0xffff;

/** A builder's saved state, as `<ring>.builder.json`. */
export interface BuilderState {
  partPower: number;
  replicas: number;
  minPartHours: number;
  devices: (RingDevice | null)[];
  /** `[replica][part]` device id, NONE when unassigned; empty before the first rebalance. */
  assignment: number[][];
  /** Hour (since the epoch) each partition last moved. */
  lastMoved: number[];
  /** Devices marked for removal at the next rebalance. */
  removing: number[];
}

/** What a rebalance did. */
export interface RebalanceResult {
  moved: number;
  balance: number;
}

/**
 * Builds and rebalances a ring, in the spirit of `swift-ring-builder`: each device gets
 * partitions in proportion to its weight, the replicas of a partition are spread over as many
 * regions, zones and hosts as exist, and no partition moves more than one replica within
 * `minPartHours` of its last move, so a rebalance never takes a quorum's worth of copies away.
 */
export class RingBuilder {
  constructor(readonly state: BuilderState) {}

  static create(partPower: number, replicas: number, minPartHours: number): RingBuilder {
    if (!Number.isInteger(partPower) || partPower < 1 || partPower > 24)
      throw new RangeError('part_power must be an integer from 1 to 24');
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > 16)
      throw new RangeError('replicas must be an integer from 1 to 16');
    if (!Number.isInteger(minPartHours) || minPartHours < 0)
      throw new RangeError('min_part_hours must be a non-negative integer');
    return new RingBuilder({
      partPower,
      replicas,
      minPartHours,
      devices: [],
      assignment: [],
      lastMoved: [],
      removing: [],
    });
  }

  get partCount(): number {
    return 2 ** this.state.partPower;
  }

  addDevice(dev: Omit<RingDevice, 'id'> & { id?: number }): RingDevice {
    if (!(dev.weight >= 0)) throw new RangeError('weight must be a non-negative number');
    if (!dev.device || dev.device.includes('/'))
      throw new RangeError('device name must be a plain directory name');
    for (const d of this.state.devices) {
      if (d && d.ip === dev.ip && d.port === dev.port && d.device === dev.device)
        throw new RangeError(`device ${dev.ip}:${dev.port}/${dev.device} already exists (id ${d.id})`);
    }
    const id = dev.id ?? this.state.devices.length;
    if (this.state.devices[id]) throw new RangeError(`device id ${id} is taken`);
    const added: RingDevice = {
      id,
      region: dev.region,
      zone: dev.zone,
      ip: dev.ip,
      port: dev.port,
      device: dev.device,
      weight: dev.weight,
      meta: dev.meta ?? '',
    };
    this.state.devices[id] = added;
    return added;
  }

  setWeight(id: number, weight: number): void {
    const dev = this.device(id);
    if (!(weight >= 0)) throw new RangeError('weight must be a non-negative number');
    dev.weight = weight;
  }

  /** Marks a device for removal: its partitions move at the next rebalance, then it is gone. */
  removeDevice(id: number): void {
    this.device(id);
    if (!this.state.removing.includes(id)) this.state.removing.push(id);
  }

  device(id: number): RingDevice {
    const dev = this.state.devices[id];
    if (!dev) throw new RangeError(`no device with id ${id}`);
    return dev;
  }

  /** Partitions each device holds, by device id. */
  partsPerDevice(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const row of this.state.assignment)
      for (const id of row) if (id !== NONE) counts.set(id, (counts.get(id) ?? 0) + 1);
    return counts;
  }

  /** Partitions each device should hold for its weight. */
  private desired(): Map<number, number> {
    const live = this.liveDevices();
    const total = live.reduce((s, d) => s + d.weight, 0);
    const out = new Map<number, number>();
    for (const d of live)
      out.set(d.id, total > 0 ? (d.weight / total) * this.partCount * this.state.replicas : 0);
    return out;
  }

  private liveDevices(): RingDevice[] {
    return this.state.devices.filter(
      (d): d is RingDevice => d !== null && d.weight > 0 && !this.state.removing.includes(d.id),
    );
  }

  /**
   * The balance figure: the largest percentage by which a weighted device holds more or fewer
   * partitions than its weight asks for (0 is perfect).
   */
  balance(): number {
    const counts = this.partsPerDevice();
    let worst = 0;
    for (const [id, want] of this.desired()) {
      if (want <= 0) continue;
      worst = Math.max(worst, Math.abs(((counts.get(id) ?? 0) * 100) / want - 100));
    }
    return worst;
  }

  /**
   * Reassigns partitions: first the unassigned ones, then replicas that share a failure domain
   * with another replica of their partition while a better spread exists, then replicas on
   * devices that hold more than their share. Only partitions not moved within `minPartHours`
   * (or never placed) are taken, and at most one replica of each per rebalance.
   */
  rebalance(now = Date.now()): RebalanceResult {
    const s = this.state;
    const hour = Math.floor(now / 3_600_000);
    const parts = this.partCount;
    const live = this.liveDevices();
    if (live.length === 0) throw new RangeError('the ring has no devices with weight');
    const liveIds = new Set(live.map((d) => d.id));
    while (s.assignment.length < s.replicas) s.assignment.push(new Array(parts).fill(NONE));
    if (s.assignment.length > s.replicas) s.assignment.length = s.replicas;
    while (s.lastMoved.length < parts) s.lastMoved.push(-Infinity);

    const counts = new Map<number, number>(live.map((d) => [d.id, 0]));
    for (const row of s.assignment)
      for (const id of row) if (counts.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
    const desired = this.desired();
    const movedThisTime = new Set<number>();
    const canMove = (part: number) =>
      !movedThisTime.has(part) && hour - (s.lastMoved[part] ?? -Infinity) >= s.minPartHours;
    const pending: [number, number][] = [];
    const take = (replica: number, part: number) => {
      const row = s.assignment[replica]!;
      const id = row[part]!;
      if (id !== NONE && counts.has(id)) counts.set(id, counts.get(id)! - 1);
      row[part] = NONE;
      pending.push([replica, part]);
    };

    // 1. Replicas on removed or zero-weight devices, and never-placed ones.
    for (let r = 0; r < s.replicas; r++) {
      const row = s.assignment[r]!;
      for (let p = 0; p < parts; p++) if (row[p] === NONE || !liveIds.has(row[p]!)) take(r, p);
    }
    const devOf = (id: number) => s.devices[id]!;
    // 2. Replicas sharing a zone (or host) with a sibling while the ring has more zones (hosts).
    const zoneCount = new Set(live.map((d) => `${d.region}/${d.zone}`)).size;
    for (let p = 0; p < parts; p++) {
      const seen = new Set<string>();
      for (let r = 0; r < s.replicas; r++) {
        const id = s.assignment[r]![p]!;
        if (id === NONE) continue;
        const d = devOf(id);
        const key = `${d.region}/${d.zone}`;
        if (seen.has(key) && seen.size < Math.min(zoneCount, s.replicas) && canMove(p)) {
          take(r, p);
          movedThisTime.add(p);
        } else seen.add(key);
      }
    }
    // 3. Replicas on over-full devices.
    for (let r = 0; r < s.replicas; r++) {
      const row = s.assignment[r]!;
      for (let p = 0; p < parts; p++) {
        const id = row[p]!;
        if (id === NONE || !canMove(p)) continue;
        if ((counts.get(id) ?? 0) > Math.ceil(desired.get(id) ?? 0)) {
          take(r, p);
          movedThisTime.add(p);
        }
      }
    }

    // Place every pending replica: the best spread first, then the device that wants most.
    for (const [replica, part] of pending) {
      const siblings = s.assignment
        .map((row) => row[part]!)
        .filter((id) => id !== NONE)
        .map(devOf);
      let best: RingDevice | undefined;
      let bestScore = -Infinity;
      for (const d of live) {
        if (siblings.some((x) => x.id === d.id)) continue;
        const spread =
          (siblings.some((x) => x.region === d.region) ? 0 : 1000) +
          (siblings.some((x) => x.region === d.region && x.zone === d.zone) ? 0 : 100) +
          (siblings.some((x) => x.region === d.region && x.zone === d.zone && x.ip === d.ip) ? 0 : 10);
        const want = (desired.get(d.id) ?? 0) - (counts.get(d.id) ?? 0);
        const score = spread * 1e9 + want;
        if (score > bestScore) {
          bestScore = score;
          best = d;
        }
      }
      if (!best) best = live.reduce((a, b) => ((counts.get(a.id) ?? 0) <= (counts.get(b.id) ?? 0) ? a : b));
      s.assignment[replica]![part] = best.id;
      counts.set(best.id, (counts.get(best.id) ?? 0) + 1);
      s.lastMoved[part] = hour;
    }
    for (const id of s.removing) s.devices[id] = null;
    s.removing = [];
    return { moved: pending.length, balance: this.balance() };
  }

  /** The ring servers read. */
  toRing(): RingData {
    const s = this.state;
    if (s.assignment.length !== s.replicas || s.assignment.some((row) => row.includes(NONE))) {
      throw new RangeError('the ring has unassigned partitions: rebalance first');
    }
    return {
      partPower: s.partPower,
      replicas: s.replicas,
      devices: s.devices.map((d) => (d ? { ...d } : null)),
      assignment: s.assignment.map((row) => Uint16Array.from(row)),
    };
  }
}
