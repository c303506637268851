import { respond } from '@nimbus/http';
import { CinderInvalid } from '../../manager/cinder-errors';
import {
  authorize,
  bodyOf,
  callerOf,
  checkMetadata,
  checkProject,
  pageParams,
  parseBool,
  q,
  type Req,
} from '../cinder-request';
import { snapshotView } from '../snapshots/snapshot-controller';
import { viewContext } from '../volumes/volume-controller';
import { volumeDetailView } from '../volumes/volume-view';

type Entry = Record<string, unknown>;

/** A name or description: a string up to 255 characters, or null. */
function text(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > 255)
    throw new CinderInvalid(
      `Invalid input for field/attribute ${field}. It must be a string up to 255 characters.`,
    );
  return value;
}

/** `ref`: the backend object, as an object (`{"source-name": ...}`). */
function refOf(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new CinderInvalid('Invalid input for field/attribute ref. It must be an object.');
  return value as Record<string, unknown>;
}

/** `POST /manageable_volumes` (3.8) and `POST /os-volume-manage` (202, the volume's detail view). */
export async function manageVolume(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:volume_manage');
  const body = bodyOf<Record<string, unknown>>(req, 'volume');
  const missing = ['ref', 'host'].filter((k) => body[k] === undefined || body[k] === null);
  if (body.cluster !== undefined && body.cluster !== null && body.host === undefined)
    throw new CinderInvalid('Invalid input received: clusters are not supported by this deployment.');
  if (missing.length) throw new CinderInvalid(`The following elements are required: ${missing.join(', ')}`);
  if (typeof body.host !== 'string' || !body.host)
    throw new CinderInvalid('Invalid input for field/attribute host.');
  const caller = callerOf(req);
  const v = await req.services.manage.manageVolume(caller, {
    host: body.host,
    ref: refOf(body.ref),
    name: text(body.name, 'name'),
    description: text(body.description, 'description'),
    volume_type: (text(body.volume_type, 'volume_type') ?? null) || null,
    availability_zone: text(body.availability_zone, 'availability_zone'),
    bootable: body.bootable === undefined ? false : parseBool(body.bootable, 'bootable'),
    metadata: checkMetadata(body.metadata),
  });
  return respond(202, { volume: volumeDetailView(req, v, await viewContext(req, [v.id])) });
}

/** `POST /manageable_snapshots` (3.8) and `POST /os-snapshot-manage` (202, the snapshot's view). */
export async function manageSnapshot(req: Req) {
  checkProject(req);
  authorize(req, 'snapshot_extension:snapshot_manage');
  const body = bodyOf<Record<string, unknown>>(req, 'snapshot');
  const missing = ['volume_id', 'ref'].filter((k) => body[k] === undefined || body[k] === null);
  if (missing.length) throw new CinderInvalid(`The following elements are required: ${missing.join(', ')}`);
  const s = await req.services.manage.manageSnapshot(callerOf(req), {
    volume_id: String(body.volume_id),
    ref: refOf(body.ref),
    name: text(body.name, 'name'),
    description: text(body.description, 'description'),
    metadata: checkMetadata(body.metadata),
  });
  return respond(202, { snapshot: snapshotView(req, s, false) });
}

/** Upstream's manageable-list paging: sort by `reference` or `size` (default reference, desc), JSON marker. */
function sortAndPage(req: Req, entries: Entry[]): Entry[] {
  const sort = q(req, 'sort');
  const pairs: [string, string][] = sort
    ? sort.split(',').map((p) => {
        const [k = '', d = 'desc'] = p.trim().split(':');
        return [k.trim(), d.trim().toLowerCase()];
      })
    : [[q(req, 'sort_key') ?? 'reference', (q(req, 'sort_dir') ?? 'desc').toLowerCase()]];
  const badKeys = pairs.map(([k]) => k).filter((k) => k !== 'reference' && k !== 'size');
  if (badKeys.length) throw new CinderInvalid(`Invalid sort keys passed: ${badKeys.join(', ')}`);
  const badDirs = pairs.map(([, d]) => d).filter((d) => d !== 'asc' && d !== 'desc');
  if (badDirs.length) throw new CinderInvalid(`Invalid sort dirs passed: ${badDirs.join(', ')}`);
  const value = (e: Entry, k: string) => (k === 'size' ? Number(e.size) : JSON.stringify(e.reference));
  const sorted = [...entries].sort((a, b) => {
    for (const [k, d] of pairs) {
      const x = value(a, k);
      const y = value(b, k);
      if (x === y) continue;
      return (x < y ? -1 : 1) * (d === 'asc' ? 1 : -1);
    }
    return 0;
  });
  const params = pageParams(req, req.services.options.maxLimit);
  let start = 0;
  if (params.marker) {
    let marker: unknown;
    try {
      marker = JSON.parse(params.marker);
    } catch {
      throw new CinderInvalid(
        `Invalid input received: marker ${params.marker} can not be analysed, please use json like format`,
      );
    }
    start = sorted.findIndex((e) => JSON.stringify(e.reference) === JSON.stringify(marker)) + 1;
    if (start === 0) throw new CinderInvalid(`Invalid input received: marker not found: ${params.marker}`);
  }
  return sorted.slice(start + params.offset, start + params.offset + params.effective);
}

async function listManageable(req: Req, kind: 'volume' | 'snapshot', detail: boolean) {
  checkProject(req);
  authorize(
    req,
    kind === 'volume' ? 'volume_extension:list_manageable' : 'snapshot_extension:list_manageable',
  );
  const host = q(req, 'host');
  const cluster = q(req, 'cluster');
  if (host && cluster)
    throw new CinderInvalid('Invalid input received: Only one of host or cluster may be given.');
  if (!host) throw new CinderInvalid("Missing required element 'host' in request parameters.");
  const entries = sortAndPage(req, await req.services.manage.listManageable(callerOf(req), host, kind));
  const summaryKeys = [
    'reference',
    'size',
    'safe_to_manage',
    ...(kind === 'snapshot' ? ['source_reference'] : []),
  ];
  const items = entries.map((e) =>
    detail ? e : Object.fromEntries(summaryKeys.map((k) => [k, e[k] ?? null])),
  );
  return { [kind === 'volume' ? 'manageable-volumes' : 'manageable-snapshots']: items };
}

/** `GET /manageable_volumes` and `GET /os-volume-manage`. */
export const listManageableVolumes = (req: Req) => listManageable(req, 'volume', false);
/** `GET /manageable_volumes/detail` and `GET /os-volume-manage/detail`. */
export const listManageableVolumesDetail = (req: Req) => listManageable(req, 'volume', true);
/** `GET /manageable_snapshots` and `GET /os-snapshot-manage`. */
export const listManageableSnapshots = (req: Req) => listManageable(req, 'snapshot', false);
/** `GET /manageable_snapshots/detail` and `GET /os-snapshot-manage/detail`. */
export const listManageableSnapshotsDetail = (req: Req) => listManageable(req, 'snapshot', true);
