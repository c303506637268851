import { describe, expect, it } from 'vitest';
import { Ring } from './ring';
import { RingBuilder } from './ring-builder';

const salt = { prefix: '', suffix: 'test' };

function build(zones: number[], weights?: number[], partPower = 8, replicas = 3): RingBuilder {
  const b = RingBuilder.create(partPower, replicas, 1);
  for (const [i, zone] of zones.entries()) {
    b.addDevice({
      region: 1,
      zone,
      ip: `10.0.0.${i + 1}`,
      port: 6200,
      device: `d${i}`,
      weight: weights?.[i] ?? 100,
      meta: '',
    });
  }
  b.rebalance(0);
  return b;
}

describe('ring builder', () => {
  it('puts the replicas of every partition in distinct zones', () => {
    const ring = new Ring(build([1, 2, 3, 1, 2, 3]).toRing(), salt);
    for (let part = 0; part < ring.partCount; part++) {
      const zones = new Set(ring.primaries(part).map((n) => n.zone));
      expect(zones.size).toBe(3);
    }
  });

  it('gives partitions in proportion to weight, with a small balance figure', () => {
    const b = build([1, 2, 3, 4, 5], [100, 100, 100, 100, 200]);
    const counts = b.partsPerDevice();
    expect(counts.get(4)! / counts.get(0)!).toBeGreaterThan(1.8);
    expect(b.balance()).toBeLessThan(15);
  });

  it('moves only a share of partitions when a device is added, and none again within min_part_hours', () => {
    const b = build([1, 2, 3]);
    const before = b.toRing().assignment.map((row) => [...row]);
    b.addDevice({ region: 1, zone: 4, ip: '10.0.0.9', port: 6200, device: 'd9', weight: 100, meta: '' });
    const first = b.rebalance(3 * 3_600_000);
    expect(first.moved).toBeGreaterThan(0);
    const after = b.toRing().assignment;
    let changedReplicas = 0;
    for (let part = 0; part < 256; part++) {
      const moved = before.filter((row, r) => row[part] !== after[r]![part]).length;
      expect(moved).toBeLessThanOrEqual(1);
      changedReplicas += moved;
    }
    expect(changedReplicas).toBe(first.moved);
    expect(b.rebalance(3 * 3_600_000 + 1).moved).toBe(0);
  });

  it('reassigns a removed device and offers handoffs outside the primaries', () => {
    const b = build([1, 2, 3, 4]);
    b.removeDevice(0);
    b.rebalance(10 * 3_600_000);
    const ring = new Ring(b.toRing(), salt);
    for (let part = 0; part < ring.partCount; part++) {
      const ids = ring.primaries(part).map((n) => n.id);
      expect(ids).not.toContain(0);
      expect(new Set(ids).size).toBe(3);
      const handoffs = ring.handoffs(part).map((n) => n.id);
      expect(handoffs.some((id) => ids.includes(id))).toBe(false);
    }
  });

  it('hashes paths to partitions as upstream (MD5 of /a/c/o between the salt, shifted)', () => {
    const ring = new Ring(build([1, 2, 3]).toRing(), { prefix: '', suffix: '' });
    // md5('/a/c/o') starts with 0x8a: with 8 bits of partition power, partition 138.
    expect(ring.partition('a', 'c', 'o')).toBe(0x8a);
  });
});
