import type { Instance } from '../db/instance-repository';

/** The API's `OS-DCF:diskConfig` values. */
export type DiskConfig = 'AUTO' | 'MANUAL';

/**
 * The system metadata key holding Nova's `auto_disk_config` flag ('True' / 'False'); a server
 * made without one is MANUAL, as Nova's default when neither the request nor the image asks.
 */
const KEY = 'auto_disk_config';

/** The server's `OS-DCF:diskConfig`. */
export function diskConfigOf(i: Pick<Instance, 'systemMetadata'>): DiskConfig {
  return i.systemMetadata[KEY] === 'True' ? 'AUTO' : 'MANUAL';
}

/** System metadata with the disk config set (a copy; `undefined` keeps it as is). */
export function withDiskConfig(
  systemMetadata: Record<string, string>,
  value: DiskConfig | undefined,
): Record<string, string> {
  if (value === undefined) return systemMetadata;
  return { ...systemMetadata, [KEY]: value === 'AUTO' ? 'True' : 'False' };
}
