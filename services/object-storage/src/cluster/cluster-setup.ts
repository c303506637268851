import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HashPathSalt } from '../ring/hash-path';
import { Ring } from '../ring/ring';
import { RingBuilder } from '../ring/ring-builder';
import { RING_NAMES, type RingName } from '../ring/ring-data';
import { loadRing, ringExists, saveBuilder, saveRing } from '../ring/ring-file';

/** The salt of hashed paths: configured, or generated once and kept beside the rings. */
export function ensureSalt(ringDir: string, prefix: string, suffix: string): HashPathSalt {
  if (prefix || suffix) return { prefix, suffix };
  const file = join(ringDir, 'swift-hash.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as HashPathSalt;
  mkdirSync(ringDir, { recursive: true });
  const salt = { prefix: '', suffix: randomBytes(16).toString('hex') };
  writeFileSync(file, JSON.stringify(salt), { mode: 0o600 });
  return salt;
}

/** How rings are built when a cluster starts without any. */
export interface DefaultLayout {
  partPower: number;
  replicas: number;
  minPartHours: number;
  deviceCount: number;
  ip: string;
  ports: Record<RingName, number>;
}

/**
 * Builds the three rings of a one-host cluster when none exist: `deviceCount` devices `d1`...
 * each in its own zone, equal weights, rebalanced.
 */
export function ensureRings(ringDir: string, layout: DefaultLayout): void {
  for (const name of RING_NAMES) {
    if (ringExists(ringDir, name)) continue;
    const builder = RingBuilder.create(
      layout.partPower,
      Math.min(layout.replicas, layout.deviceCount),
      layout.minPartHours,
    );
    for (let i = 1; i <= layout.deviceCount; i++) {
      builder.addDevice({
        region: 1,
        zone: i,
        ip: layout.ip,
        port: layout.ports[name],
        device: `d${i}`,
        weight: 100,
        meta: '',
      });
    }
    builder.rebalance();
    saveBuilder(ringDir, name, builder);
    saveRing(ringDir, name, builder.toRing());
  }
}

export function loadRings(ringDir: string, salt: HashPathSalt): Record<RingName, Ring> {
  return {
    account: new Ring(loadRing(ringDir, 'account'), salt),
    container: new Ring(loadRing(ringDir, 'container'), salt),
    object: new Ring(loadRing(ringDir, 'object'), salt),
  };
}
