import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * Markers that let a daemon visit only the databases it cares about (containers that sync,
 * accounts to reap) instead of walking every database: `<device>/<kind>/<db hash>` holds the
 * database's path.
 */
export type MarkerKind = 'sync_containers' | 'reap_accounts';

export function setMarker(root: string, device: string, kind: MarkerKind, dbPath: string): void {
  mkdirSync(join(root, device, kind), { recursive: true });
  writeFileSync(join(root, device, kind, basename(dbPath, '.db')), dbPath);
}

export function clearMarker(root: string, device: string, kind: MarkerKind, dbPath: string): void {
  rmSync(join(root, device, kind, basename(dbPath, '.db')), { force: true });
}

/** The database paths marked on a device. */
export function markedDatabases(root: string, device: string, kind: MarkerKind): string[] {
  const dir = join(root, device, kind);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names) {
    try {
      out.push(readFileSync(join(dir, n), 'utf8'));
    } catch {}
  }
  return out;
}
