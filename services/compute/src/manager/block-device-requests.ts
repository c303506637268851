import { InvalidInput } from './compute-errors';

/** One block device a create asks for, normalised from `block_device_mapping_v2` or the legacy form. */
export interface BlockDeviceRequest {
  sourceType: 'image' | 'volume' | 'snapshot' | 'blank';
  destinationType: 'volume' | 'local';
  uuid: string | null;
  bootIndex: number | null;
  volumeSizeGb: number | null;
  deviceName: string | null;
  guestFormat: string | null;
  diskBus: string | null;
  deviceType: string | null;
  volumeType: string | null;
  tag: string | null;
  deleteOnTermination: boolean;
}

/** Nova's InvalidBDM family: 400 "Block Device Mapping is Invalid: …". */
export class InvalidBlockDeviceMapping extends InvalidInput {
  constructor(details: string) {
    super(`Block Device Mapping is Invalid: ${details}`);
  }
}

/** The boot-sequence refusal Nova gives for an image/mapping combination that cannot boot. */
export const invalidBootSequence = () =>
  new InvalidBlockDeviceMapping(
    'Boot sequence for the instance and image/block device mapping combination is not valid.',
  );

const SOURCES = ['image', 'volume', 'snapshot', 'blank'] as const;
const DESTINATIONS = ['volume', 'local'] as const;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const V2_KEYS = new Set([
  'source_type',
  'destination_type',
  'uuid',
  'boot_index',
  'volume_size',
  'device_name',
  'guest_format',
  'disk_bus',
  'device_type',
  'volume_type',
  'tag',
  'delete_on_termination',
  'no_device',
  'volume_id',
  'snapshot_id',
  'image_id',
  'connection_info',
]);

function field(path: string, value: unknown, why: string): InvalidInput {
  return new InvalidInput(
    `Invalid input for field/attribute ${path}. Value: ${JSON.stringify(value)}. ${why}`,
  );
}

function bool(v: unknown, path: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false|1|0|yes|no|on|off|t|f|y|n)$/i.test(v))
    return /^(true|1|yes|on|t|y)$/i.test(v);
  throw field(path, v, `${JSON.stringify(v)} is not of type 'boolean'`);
}

function int(v: unknown, path: string, min: number): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^-?[0-9]+$/.test(v.trim()) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n)) throw field(path, v, `${JSON.stringify(v)} is not of type 'integer', 'string'`);
  if (n < min) throw field(path, v, `${n} is less than the minimum of ${min}`);
  return n;
}

function str(v: unknown, path: string, max = 255): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw field(path, v, `${JSON.stringify(v)} is not of type 'string'`);
  if (v.length > max) throw field(path, v, `${JSON.stringify(v)} is too long`);
  return v;
}

/**
 * Parses a create's block device mappings (v2, or the legacy v1 list) as Nova's schema and
 * `BlockDeviceDict` do; microversion gates: `tag` at 2.32 and from 2.42, `volume_type` at 2.67.
 * `no_device` entries are dropped. Throws Nova's 400s.
 */
export function parseBlockDeviceMappings(
  server: { block_device_mapping_v2?: unknown; block_device_mapping?: unknown },
  mv: { atLeast(v: string): boolean },
): BlockDeviceRequest[] {
  const v2 = server.block_device_mapping_v2;
  const v1 = server.block_device_mapping;
  if (v2 !== undefined && v1 !== undefined)
    throw new InvalidInput(
      'Using different block_device_mapping syntaxes is not allowed in the same request.',
    );
  if (v1 !== undefined) return parseLegacy(v1);
  if (v2 === undefined) return [];
  if (!Array.isArray(v2)) throw field('block_device_mapping_v2', v2, `is not of type 'array'`);
  const tagsAllowed = (mv.atLeast('2.32') && !mv.atLeast('2.33')) || mv.atLeast('2.42');
  const out: BlockDeviceRequest[] = [];
  for (const raw of v2) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      throw field('block_device_mapping_v2', raw, `is not of type 'object'`);
    const d = raw as Record<string, unknown>;
    for (const k of Object.keys(d)) {
      if (!V2_KEYS.has(k) || (k === 'tag' && !tagsAllowed) || (k === 'volume_type' && !mv.atLeast('2.67')))
        throw new InvalidInput(
          `Invalid input for field/attribute block_device_mapping_v2. Value: ... Additional properties are not allowed ('${k}' was unexpected)`,
        );
    }
    if (bool(d.no_device, 'no_device')) continue;
    const source =
      d.source_type ??
      (d.volume_id ? 'volume' : d.snapshot_id ? 'snapshot' : d.image_id ? 'image' : undefined);
    if (!SOURCES.includes(source as (typeof SOURCES)[number]))
      throw field(
        'source_type',
        source,
        `${JSON.stringify(source)} is not one of ['volume', 'image', 'snapshot', 'blank']`,
      );
    const dest = d.destination_type ?? (source === 'image' || source === 'blank' ? 'local' : 'volume');
    if (!DESTINATIONS.includes(dest as (typeof DESTINATIONS)[number]))
      throw field('destination_type', dest, `${JSON.stringify(dest)} is not one of ['local', 'volume']`);
    const uuid = str(d.uuid ?? d.volume_id ?? d.snapshot_id ?? d.image_id, 'uuid');
    if (uuid !== null && !/^[a-zA-Z0-9._-]*$/.test(uuid))
      throw field('uuid', uuid, `${JSON.stringify(uuid)} does not match '^[a-zA-Z0-9._-]*$'`);
    const r: BlockDeviceRequest = {
      sourceType: source as BlockDeviceRequest['sourceType'],
      destinationType: dest as BlockDeviceRequest['destinationType'],
      uuid,
      bootIndex: int(d.boot_index, 'boot_index', -Infinity),
      volumeSizeGb: int(d.volume_size, 'volume_size', 0),
      deviceName: str(d.device_name, 'device_name'),
      guestFormat: str(d.guest_format, 'guest_format'),
      diskBus: str(d.disk_bus, 'disk_bus'),
      deviceType: str(d.device_type, 'device_type'),
      volumeType: str(d.volume_type, 'volume_type'),
      tag: str(d.tag, 'tag', 60),
      deleteOnTermination: bool(d.delete_on_termination, 'delete_on_termination'),
    };
    if (r.bootIndex !== null && r.bootIndex < 0) r.bootIndex = null;
    out.push(r);
  }
  return out;
}

/** The legacy `block_device_mapping`: volumes and snapshots by device name; the root device boots. */
function parseLegacy(v1: unknown): BlockDeviceRequest[] {
  if (!Array.isArray(v1)) throw field('block_device_mapping', v1, `is not of type 'array'`);
  const out: BlockDeviceRequest[] = [];
  for (const raw of v1) {
    const d = (raw ?? {}) as Record<string, unknown>;
    if (bool(d.no_device, 'no_device')) continue;
    // A device name may be left out (the agent names the device); one given must not be empty.
    const device = str(d.device_name, 'device_name');
    if (device === '') throw new InvalidBlockDeviceMapping('Device name empty or too long.');
    const volumeId = str(d.volume_id, 'volume_id');
    const snapshotId = str(d.snapshot_id, 'snapshot_id');
    if (!volumeId && !snapshotId) continue;
    const root = device !== null && /^(\/dev\/)?(x?v|s|h)da$/.test(device);
    out.push({
      sourceType: snapshotId ? 'snapshot' : 'volume',
      destinationType: 'volume',
      uuid: snapshotId ?? volumeId,
      bootIndex: root ? 0 : null,
      volumeSizeGb: int(d.volume_size, 'volume_size', 0),
      deviceName: device === null ? null : device.startsWith('/dev/') ? device : `/dev/${device}`,
      guestFormat: null,
      diskBus: null,
      deviceType: null,
      volumeType: null,
      tag: null,
      deleteOnTermination: bool(d.delete_on_termination, 'delete_on_termination'),
    });
  }
  return out;
}

/**
 * Checks the set as Nova's `_validate_bdm` does without asking other services: the boot sequence
 * (an image or a bootable mapping at index 0, indexes contiguous), sources against destinations,
 * sizes, one swap, local disks within the flavor. `imageRef` is the request's image ('' for none).
 */
export function checkBlockDeviceMappings(
  requests: readonly BlockDeviceRequest[],
  imageRef: string,
  flavor: { ephemeralGb: number; swapMb: number },
): void {
  const boot = requests
    .filter((r) => r.bootIndex !== null)
    .map((r) => r.bootIndex!)
    .sort((a, b) => a - b);
  if (boot.some((b, i) => b !== i)) throw invalidBootSequence();
  if (!imageRef && !requests.some((r) => r.bootIndex === 0)) throw invalidBootSequence();
  let swaps = 0;
  let ephemeralGb = 0;
  for (const r of requests) {
    if (r.sourceType !== 'blank' && !r.uuid) throw new InvalidBlockDeviceMapping('Missing device UUID.');
    if (r.uuid && !UUID.test(r.uuid) && r.sourceType !== 'image')
      throw new InvalidBlockDeviceMapping(`${r.uuid} is not a valid UUID.`);
    if (r.volumeType && r.destinationType === 'local')
      throw new InvalidBlockDeviceMapping(
        'Specifying a volume_type with destination_type=local is not supported.',
      );
    if (r.sourceType === 'image' && r.destinationType === 'local') {
      if (r.bootIndex !== 0) throw new InvalidBlockDeviceMapping('Mapping image to local is not supported.');
      if (imageRef && r.uuid !== imageRef) throw invalidBootSequence();
      continue;
    }
    if ((r.sourceType === 'volume' || r.sourceType === 'snapshot') && r.destinationType === 'local')
      throw new InvalidBlockDeviceMapping(`Mapping ${r.sourceType} to local is not supported.`);
    if (r.sourceType === 'blank' && r.destinationType === 'volume' && !r.volumeSizeGb)
      throw new InvalidBlockDeviceMapping(
        "Blank volumes (source: 'blank', dest: 'volume') need to have non-zero size",
      );
    if (r.sourceType === 'blank' && r.destinationType === 'local') {
      if (r.guestFormat === 'swap') {
        swaps++;
        const mb = r.volumeSizeGb === null ? flavor.swapMb : r.volumeSizeGb * 1024;
        if (swaps > 1) throw new InvalidBlockDeviceMapping('More than one swap drive requested.');
        if (mb > flavor.swapMb)
          throw new InvalidBlockDeviceMapping('Swap drive requested is larger than instance type allows.');
      } else {
        ephemeralGb += r.volumeSizeGb ?? flavor.ephemeralGb;
        if (ephemeralGb > flavor.ephemeralGb)
          throw new InvalidBlockDeviceMapping(
            'Ephemeral disks requested are larger than the instance type allows. If no size is given in one block device mapping, flavor ephemeral size will be used.',
          );
      }
    }
  }
}
