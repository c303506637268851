import { createHash } from 'node:crypto';
import { type Handler, readBody, type SwiftRequest, subrequest } from '../common/swift-http';
import { ListingError, type Segment, type SegmentListing } from './segments';

/** `/info` entry of slo. */
export const sloInfo = {
  max_manifest_segments: 1000,
  max_manifest_size: 8_388_608,
  yield_frequency: 10,
  min_segment_size: 1,
};

/** How deep manifests may nest on GET (upstream's `max_slo_recursion_depth`). */
export const MAX_SLO_RECURSION_DEPTH = 10;

/**
 * Largest stored manifest read back. The PUT limit bounds what the client sends; what is stored
 * adds a type and a date per segment, so twice that is room enough and still bounds memory.
 */
const MAX_STORED_MANIFEST_BYTES = 2 * sloInfo.max_manifest_size;

/** A manifest entry as stored (upstream's internal format). */
export interface StoredSegment {
  name: string;
  hash: string;
  bytes: number;
  content_type?: string;
  last_modified?: string;
  range?: string;
  /** The segment is itself a static large object (its bytes and hash are the whole one's). */
  sub_slo?: boolean;
}

/** Parses `N-M`, `N-` or `-N` against a size; undefined when unsatisfiable or malformed. */
export function parseSegmentRange(range: string, size: number): [number, number] | undefined {
  const m = /^(\d*)-(\d*)$/.exec(range.replace(/^bytes=/, ''));
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') return Number(m[2]) === 0 ? undefined : [Math.max(0, size - Number(m[2])), size - 1];
  const s = Number(m[1]);
  const e = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return s <= e && s < size ? [s, e] : undefined;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** The bytes of a stored entry that the large object uses, inclusive. */
function usedRange(entry: StoredSegment): [number, number] {
  if (entry.range === undefined) return [0, entry.bytes - 1];
  const m = /^(\d+)-(\d+)$/.exec(entry.range);
  if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) >= entry.bytes)
    throw new ListingError(`invalid range ${entry.range} in manifest`);
  return [Number(m[1]), Number(m[2])];
}

/**
 * Parses a stored manifest, checking each entry's shape: a manifest written by hand or damaged on
 * disk answers ListingError (409), never a crash.
 */
export function parseStoredManifest(raw: Buffer): StoredSegment[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ListingError('manifest is not valid JSON');
  }
  if (!Array.isArray(parsed)) throw new ListingError('manifest is not a list');
  for (const e of parsed as Partial<StoredSegment>[]) {
    if (
      !e ||
      typeof e !== 'object' ||
      typeof e.name !== 'string' ||
      typeof e.hash !== 'string' ||
      !isCount(e.bytes)
    )
      throw new ListingError('manifest entry is malformed');
    if (e.range !== undefined && typeof e.range !== 'string')
      throw new ListingError('manifest entry is malformed');
  }
  return parsed as StoredSegment[];
}

/** Reads a manifest body into entries, within the stored-size bound. */
export async function readStoredManifest(body: Parameters<typeof readBody>[0]): Promise<StoredSegment[]> {
  let raw: Buffer;
  try {
    raw = await readBody(body, MAX_STORED_MANIFEST_BYTES);
  } catch {
    throw new ListingError('manifest too large');
  }
  return parseStoredManifest(raw);
}

/** Length and ETag of a large object from its entries (when its sysmeta lacks them). */
export function manifestSummary(entries: readonly StoredSegment[]): { length: number; etag: string } {
  const md5 = createHash('md5');
  let length = 0;
  for (const e of entries) {
    const [s, end] = usedRange(e);
    length += end - s + 1;
    md5.update(e.range !== undefined ? `${e.hash}:${e.range};` : e.hash);
  }
  return { length, etag: md5.digest('hex') };
}

/**
 * The segment listing of a static large object: walks the entries (and, lazily, the manifests
 * of nested ones, fetched through `fetch`) for the bytes asked, skipping whole sub-manifests
 * outside them. Nesting deeper than `MAX_SLO_RECURSION_DEPTH` (a cycle included) answers
 * ListingError; at most one manifest per level is held at a time.
 */
export function sloListing(
  req: SwiftRequest,
  fetch: Handler,
  version: string,
  account: string,
  entries: readonly StoredSegment[],
): SegmentListing {
  const pathOf = (name: string) => `/${version}/${account}/${name.replace(/^\/+/, '')}`;
  const fetchManifest = async (name: string): Promise<StoredSegment[]> => {
    const sub = subrequest(req, 'GET', pathOf(name), {}, undefined, 'SLO');
    sub.query.set('multipart-manifest', 'get');
    const res = await fetch(sub);
    if (
      res.status < 200 ||
      res.status >= 300 ||
      (res.headers['x-static-large-object'] ?? '').toLowerCase() !== 'true'
    ) {
      await readBody(res.body, 4096).catch(() => undefined);
      throw new ListingError(
        `while fetching ${req.path}, GET of submanifest ${name} failed with status ${res.status}`,
      );
    }
    return readStoredManifest(res.body);
  };
  async function* walk(
    list: readonly StoredSegment[],
    first: number,
    last: number,
    depth: number,
  ): AsyncGenerator<Segment> {
    let lastSub: string | undefined;
    let subEntries: StoredSegment[] = [];
    for (const entry of list) {
      const [rangeStart, rangeEnd] = usedRange(entry);
      const length = rangeEnd - rangeStart + 1;
      if (first >= length) {
        first -= length;
        last -= length;
        continue;
      }
      if (last < 0) return;
      const from = rangeStart + Math.max(0, first);
      const to = Math.min(rangeEnd, rangeStart + last);
      if (entry.sub_slo) {
        if (depth >= MAX_SLO_RECURSION_DEPTH)
          throw new ListingError(`While processing manifest ${req.path}, max recursion depth was exceeded`);
        if (lastSub !== entry.name) {
          subEntries = await fetchManifest(entry.name);
          lastSub = entry.name;
        }
        yield* walk(subEntries, from, to, depth + 1);
      } else {
        yield { path: pathOf(entry.name), start: from, end: to, etag: entry.hash, size: entry.bytes };
      }
      first -= length;
      last -= length;
    }
  }
  return (first, last) => walk(entries, first, last, 1);
}
