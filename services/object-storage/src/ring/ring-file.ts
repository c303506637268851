import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type BuilderState, RingBuilder } from './ring-builder';
import type { RingData, RingName } from './ring-data';

/** Where a ring's files live: `<dir>/<name>.ring.gz` (what servers read) and `<name>.builder.json`. */
export function ringPath(dir: string, name: RingName): string {
  return join(dir, `${name}.ring.gz`);
}

export function builderPath(dir: string, name: RingName): string {
  return join(dir, `${name}.builder.json`);
}

/** Writes a file by rename so readers never see half of it. */
function writeAtomic(path: string, data: Buffer | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export function saveRing(dir: string, name: RingName, ring: RingData): void {
  const doc = {
    part_power: ring.partPower,
    replicas: ring.replicas,
    devs: ring.devices,
    replica2part2dev: ring.assignment.map((row) =>
      Buffer.from(row.buffer, row.byteOffset, row.byteLength).toString('base64'),
    ),
  };
  writeAtomic(ringPath(dir, name), gzipSync(JSON.stringify(doc)));
}

export function loadRing(dir: string, name: RingName): RingData {
  const doc = JSON.parse(gunzipSync(readFileSync(ringPath(dir, name))).toString('utf8')) as {
    part_power: number;
    replicas: number;
    devs: RingData['devices'];
    replica2part2dev: string[];
  };
  return {
    partPower: doc.part_power,
    replicas: doc.replicas,
    devices: doc.devs,
    assignment: doc.replica2part2dev.map((b64) => {
      const buf = Buffer.from(b64, 'base64');
      return new Uint16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    }),
  };
}

export function ringExists(dir: string, name: RingName): boolean {
  return existsSync(ringPath(dir, name));
}

export function saveBuilder(dir: string, name: RingName, builder: RingBuilder): void {
  const s = builder.state;
  writeAtomic(
    builderPath(dir, name),
    JSON.stringify({ ...s, lastMoved: s.lastMoved.map((h) => (Number.isFinite(h) ? h : null)) }),
  );
}

export function loadBuilder(dir: string, name: RingName): RingBuilder {
  const raw = JSON.parse(readFileSync(builderPath(dir, name), 'utf8')) as BuilderState & {
    lastMoved: (number | null)[];
  };
  return new RingBuilder({ ...raw, lastMoved: raw.lastMoved.map((h) => h ?? -Infinity) });
}
