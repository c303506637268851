import { existsSync } from 'node:fs';
import { RingBuilder } from '../ring/ring-builder';
import { RING_NAMES, type RingDevice, type RingName } from '../ring/ring-data';
import { builderPath, loadBuilder, saveBuilder, saveRing } from '../ring/ring-file';

/** Refuses names other than account, container and object. */
export function ringName(name: string): RingName {
  if (!(RING_NAMES as readonly string[]).includes(name))
    throw new RangeError(`ring must be one of ${RING_NAMES.join(', ')}, not "${name}"`);
  return name as RingName;
}

/**
 * Parses swift-ring-builder's device syntax: `r<region>z<zone>-<ip>:<port>/<device>[_<meta>]`
 * (`r1z2-10.0.0.5:6200/sdb1`); an IPv6 address goes in brackets.
 */
export function parseDevice(spec: string, weight: string): Omit<RingDevice, 'id'> {
  const m = /^r(\d+)z(\d+)-(\[[0-9a-fA-F:.]+\]|[^:/]+):(\d+)\/([^_/]+)(?:_(.*))?$/.exec(spec);
  if (!m) throw new RangeError(`device must look like r1z1-127.0.0.1:6200/d1, not "${spec}"`);
  const w = Number(weight);
  if (!Number.isFinite(w) || w < 0)
    throw new RangeError(`weight must be a non-negative number, not "${weight}"`);
  return {
    region: Number(m[1]),
    zone: Number(m[2]),
    ip: m[3]!.replace(/^\[|\]$/g, ''),
    port: Number(m[4]),
    device: m[5]!,
    meta: m[6] ?? '',
    weight: w,
  };
}

export function createRing(
  dir: string,
  name: RingName,
  partPower: number,
  replicas: number,
  minPartHours: number,
  force = false,
): string {
  if (existsSync(builderPath(dir, name)) && !force)
    throw new RangeError(`${builderPath(dir, name)} exists (pass --force to start over)`);
  saveBuilder(dir, name, RingBuilder.create(partPower, replicas, minPartHours));
  return `Created ${name} ring builder: 2^${partPower} partitions, ${replicas} replicas, min_part_hours ${minPartHours}`;
}

export function addDevice(dir: string, name: RingName, spec: string, weight: string): string {
  const b = loadBuilder(dir, name);
  const dev = b.addDevice(parseDevice(spec, weight));
  saveBuilder(dir, name, b);
  return `Device d${dev.id}r${dev.region}z${dev.zone}-${dev.ip}:${dev.port}/${dev.device} with ${dev.weight} weight got id ${dev.id}`;
}

export function setWeight(dir: string, name: RingName, id: number, weight: number): string {
  const b = loadBuilder(dir, name);
  b.setWeight(id, weight);
  saveBuilder(dir, name, b);
  return `Device ${id} weight set to ${weight}; rebalance to move partitions`;
}

export function removeDevice(dir: string, name: RingName, id: number): string {
  const b = loadBuilder(dir, name);
  b.removeDevice(id);
  saveBuilder(dir, name, b);
  return `Device ${id} marked for removal; rebalance to move its partitions`;
}

/** Rebalances and writes the ring file servers read (running servers pick it up on restart). */
export function rebalanceRing(dir: string, name: RingName, now = Date.now()): string {
  const b = loadBuilder(dir, name);
  const r = b.rebalance(now);
  saveBuilder(dir, name, b);
  saveRing(dir, name, b.toRing());
  return `Reassigned ${r.moved} (${((r.moved / (b.partCount * b.state.replicas)) * 100).toFixed(2)}%) partition replicas. Balance is now ${r.balance.toFixed(2)}.`;
}

/** The builder as `swift-ring-builder <file>` shows it: totals, balance and a device table. */
export function showRing(dir: string, name: RingName): string {
  const b = loadBuilder(dir, name);
  const s = b.state;
  const devices = s.devices.filter((d): d is RingDevice => d !== null);
  const counts = b.partsPerDevice();
  const totalWeight = devices.reduce((n, d) => n + d.weight, 0);
  const want = (d: RingDevice) => (totalWeight > 0 ? (d.weight / totalWeight) * b.partCount * s.replicas : 0);
  const lines = [
    `${name}.builder, build version ${s.lastMoved.length ? 'rebalanced' : 'not yet rebalanced'}`,
    `${b.partCount} partitions, ${s.replicas.toFixed(6)} replicas, ${new Set(devices.map((d) => d.region)).size} regions, ${new Set(devices.map((d) => `${d.region}/${d.zone}`)).size} zones, ${devices.length} devices, ${b.balance().toFixed(2)} balance`,
    `The minimum number of hours before a partition can be reassigned is ${s.minPartHours}`,
    'Devices:   id region zone      ip address:port device      weight partitions balance meta',
    ...devices.map((d) => {
      const parts = counts.get(d.id) ?? 0;
      const w = want(d);
      const bal = w > 0 ? (parts * 100) / w - 100 : 0;
      return `${String(d.id).padStart(14)} ${String(d.region).padStart(6)} ${String(d.zone).padStart(4)} ${`${d.ip}:${d.port}`.padStart(21)} ${d.device.padEnd(8)} ${d.weight.toFixed(2).padStart(8)} ${String(parts).padStart(10)} ${bal.toFixed(2).padStart(7)} ${d.meta}${s.removing.includes(d.id) ? ' (removing)' : ''}`;
    }),
  ];
  return lines.join('\n');
}
