import { createHash } from 'node:crypto';
import { urlQuote } from '@nimbus/http';
import {
  discardBody,
  errorResponse,
  type Handler,
  readBody,
  reasonOf,
  response,
  type SwiftRequest,
  type SwiftResponse,
  subrequest,
} from '../common/swift-http';
import { isoDate } from '../common/timestamp';
import { parseSegmentRange, type StoredSegment, sloInfo } from './slo-manifest';

/** A manifest entry as a client sends it, once its shape was checked. */
interface ClientSegment {
  path: string;
  etag?: string | null;
  size_bytes?: number;
  range?: string;
}

const ALLOWED_KEYS = new Set(['path', 'etag', 'size_bytes', 'range']);

/** Python's `int()` of a JSON value, as upstream reads `size_bytes`; undefined when it fails. */
function toInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

/** Checks one range spec as swob's Range: `invalid`, `multiple`, or ok. */
function checkRange(range: string): 'invalid' | 'multiple' | undefined {
  const specs = range.split(',');
  for (const spec of specs) {
    const m = /^\s*(\d*)-(\d*)\s*$/.exec(spec);
    if (!m || (m[1] === '' && m[2] === '') || (m[1] !== '' && m[2] !== '' && Number(m[2]) < Number(m[1])))
      return 'invalid';
  }
  return specs.length > 1 ? 'multiple' : undefined;
}

/**
 * Checks the manifest's structure as upstream's `parse_and_validate_input` does, without any
 * request: the list of entries, or the 400 body listing what is wrong with each.
 */
function validateEntries(parsed: unknown[], manifestPath: string, base: string): ClientSegment[] | string {
  const errors: string[] = [];
  parsed.forEach((item, i) => {
    const problem = entryProblem(item, i === parsed.length - 1, manifestPath, base);
    if (problem) errors.push(`Index ${i}: ${problem}\n`);
  });
  return errors.length ? errors.join('') : (parsed as ClientSegment[]);
}

/** What is wrong with one entry (normalizing `size_bytes` and `range` in place), or undefined. */
function entryProblem(
  item: unknown,
  isLast: boolean,
  manifestPath: string,
  base: string,
): string | undefined {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return 'not a JSON object';
  const seg = item as Record<string, unknown>;
  if (!('path' in seg))
    return 'data' in seg
      ? 'inline data segments are not supported'
      : "expected keys to include one of 'data' or 'path'";
  const extra = Object.keys(seg).filter((k) => !ALLOWED_KEYS.has(k));
  if (extra.length)
    return `extraneous keys ${extra
      .sort()
      .map((k) => JSON.stringify(k))
      .join(', ')}`;
  if (typeof seg.path !== 'string') return '"path" must be a string';
  if (seg.etag !== undefined && seg.etag !== null && typeof seg.etag !== 'string')
    return '"etag" must be a string or null (if provided)';
  if (!seg.path.replace(/^\/+|\/+$/g, '').includes('/'))
    return 'path does not refer to an object. Path must be of the form /container/object.';
  if (seg.size_bytes !== undefined && seg.size_bytes !== null) {
    const size = toInt(seg.size_bytes);
    if (size === undefined) return 'invalid size_bytes';
    if (size < 1 && !isLast) return 'too small; each segment must be at least 1 byte.';
    seg.size_bytes = size;
  } else delete seg.size_bytes;
  if (`${base}/${seg.path.replace(/^\/+/, '')}` === manifestPath)
    return 'manifest must not include itself as a segment';
  if (seg.range === undefined || seg.range === null || seg.range === '') {
    delete seg.range;
    return undefined;
  }
  if (typeof seg.range !== 'string') return 'invalid range';
  const bad = checkRange(seg.range);
  if (bad === 'invalid') return 'invalid range';
  if (bad === 'multiple') return 'multiple ranges (only one allowed)';
  if (typeof seg.size_bytes === 'number' && !parseSegmentRange(seg.range, seg.size_bytes))
    return 'unsatisfiable range';
  return undefined;
}

/** Upstream's bulk-style error body (`Errors:` then `name, status` lines, or JSON when asked). */
function problemResponse(req: SwiftRequest, problems: [string, string][]): SwiftResponse {
  if ((req.headers.accept ?? '').includes('application/json'))
    return response(400, JSON.stringify({ Errors: problems }), { 'content-type': 'application/json' });
  const body = `Errors:\n${problems.map(([n, s]) => `${n}, ${s}\n`).join('')}`;
  return response(400, body, { 'content-type': 'text/plain' });
}

/**
 * `PUT ?multipart-manifest=put`: bounds the manifest (size, segment count), checks its entries,
 * HEADs each segment once through the pipeline (it must exist; ETag and size must match when
 * given; a segment that is itself a static large object is marked `sub_slo`) and stores the
 * manifest with the large object's ETag and size as sysmeta.
 */
export async function putSloManifest(
  req: SwiftRequest,
  root: Handler,
  next: Handler,
  version: string,
  account: string,
): Promise<SwiftResponse> {
  const max = sloInfo.max_manifest_size;
  const length = req.headers['content-length'];
  const chunked = (req.headers['transfer-encoding'] ?? '').toLowerCase().includes('chunked');
  if (length === undefined && !chunked) return errorResponse(411);
  if (length !== undefined && Number(length) > max) return errorResponse(413, `Manifest File > ${max} bytes`);
  let parsed: unknown;
  try {
    // Past the limit upstream reads a truncated body, which is not JSON either.
    parsed = JSON.parse((await readBody(req.body, max)).toString('utf8'));
  } catch {
    return errorResponse(400, 'Manifest must be valid JSON.\n');
  }
  if (!Array.isArray(parsed)) return errorResponse(400, 'Manifest must be a list.\n');
  if (parsed.length === 0) return errorResponse(400, 'Manifest must be a list of segments.\n');
  const checked = validateEntries(parsed, req.path, `/${version}/${account}`);
  if (typeof checked === 'string') return errorResponse(400, checked);
  if (checked.length > sloInfo.max_manifest_segments)
    return errorResponse(413, `Number of object-backed segments must be <= ${sloInfo.max_manifest_segments}`);

  const heads = new Map<string, SwiftResponse>();
  const problems: [string, string][] = [];
  const stored: StoredSegment[] = [];
  const md5 = createHash('md5');
  let total = 0;
  for (const [i, item] of checked.entries()) {
    const path = item.path.replace(/^\/+/, '');
    let head = heads.get(path);
    if (!head) {
      head = await root(subrequest(req, 'HEAD', `/${version}/${account}/${path}`, {}, undefined, 'SLO'));
      discardBody(head.body);
      heads.set(path, head);
    }
    const name = urlQuote(item.path);
    if (head.status < 200 || head.status >= 300) {
      problems.push([name, `${head.status} ${reasonOf(head.status)}`]);
      continue;
    }
    const size = Number(head.headers['content-length'] ?? 0);
    const etag = (head.headers.etag ?? '').replace(/"/g, '');
    let range: [number, number] | undefined;
    if (item.range !== undefined) {
      range = parseSegmentRange(item.range, size);
      if (!range) problems.push([name, 'Unsatisfiable Range']);
      else if (range[0] === 0 && range[1] === size - 1) range = undefined;
    }
    const used = range ? range[1] - range[0] + 1 : size;
    if (used < 1 && i < checked.length - 1)
      problems.push([name, 'Too small; each segment must be at least 1 byte.']);
    if (item.size_bytes !== undefined && item.size_bytes !== size) problems.push([name, 'Size Mismatch']);
    if (item.etag !== undefined && item.etag !== null && item.etag !== etag)
      problems.push([name, 'Etag Mismatch']);
    total += used;
    md5.update(range ? `${etag}:${range[0]}-${range[1]};` : etag);
    stored.push({
      name: `/${path}`,
      hash: etag,
      bytes: size,
      content_type: head.headers['content-type'] ?? 'application/octet-stream',
      last_modified: isoDate(String(Date.parse(head.headers['last-modified'] ?? '') / 1000 || 0)),
      ...(range ? { range: `${range[0]}-${range[1]}` } : {}),
      ...((head.headers['x-static-large-object'] ?? '').toLowerCase() === 'true' ? { sub_slo: true } : {}),
    });
  }
  if (problems.length) return problemResponse(req, problems);
  const sloEtag = md5.digest('hex');
  const ifMatch = req.headers.etag?.replace(/"/g, '');
  if (ifMatch && ifMatch !== sloEtag) return errorResponse(422);
  const body = Buffer.from(JSON.stringify(stored));
  const headers: Record<string, string> = {
    ...req.headers,
    'content-length': String(body.length),
    'x-static-large-object': 'True',
    'x-object-sysmeta-slo-etag': sloEtag,
    'x-object-sysmeta-slo-size': String(total),
    'x-object-sysmeta-container-update-override-etag': `${createHash('md5').update(body).digest('hex')}; s3_etag=${sloEtag}; slo_etag=${sloEtag}`,
  };
  delete headers.etag;
  delete headers['transfer-encoding'];
  const q = new URLSearchParams(req.query);
  q.delete('multipart-manifest');
  const res = await next({
    ...req,
    query: q,
    headers,
    body: (async function* () {
      yield body;
    })(),
  });
  if (res.status === 201) res.headers.etag = `"${sloEtag}"`;
  return res;
}
