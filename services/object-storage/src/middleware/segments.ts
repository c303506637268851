import { parseRange } from '../common/ranges';
import {
  chunksOf,
  discardBody,
  errorResponse,
  type Handler,
  response,
  type SwiftRequest,
  type SwiftResponse,
  subrequest,
} from '../common/swift-http';

/**
 * Asks object servers to answer a manifest whole even when the client sent a Range (upstream's
 * `X-Backend-Ignore-Range-If-Metadata-Present`): the range applies to the large object, which the
 * middleware assembles, not to the manifest's own bytes. Other objects still get their range.
 */
export const IGNORE_RANGE_HEADER = 'x-backend-ignore-range-if-metadata-present';

export function manifestsWhole(req: SwiftRequest): SwiftRequest {
  if (!req.headers.range) return req;
  return {
    ...req,
    headers: { ...req.headers, [IGNORE_RANGE_HEADER]: 'X-Static-Large-Object,X-Object-Manifest' },
  };
}

/** Longest a large object GET may stream, in seconds (upstream's `max_get_time`). */
export const MAX_GET_TIME_SECONDS = 86_400;

/** A segment is missing or no longer what its manifest recorded: 409 before the body, an abort during it. */
export class SegmentError extends Error {}

/** The segments could not be listed (sub-manifest unreadable, nesting too deep): as SegmentError. */
export class ListingError extends Error {}

/** A storage node failed while a segment was read: 503 before the body, an abort during it. */
export class SegmentUnavailable extends Error {}

/** One piece of a large object: a segment's path and the byte range of it that is used. */
export interface Segment {
  path: string;
  /** First and last byte of the segment used (inclusive). */
  start: number;
  end: number;
  /** The segment's ETag as the manifest recorded it; checked when given. */
  etag?: string;
  /** The segment's whole size as the manifest recorded it; checked when given. */
  size?: number;
}

/** Segments holding bytes `[first, last]` of a large object, each trimmed to those bytes. Lazy. */
export type SegmentListing = (first: number, last: number) => AsyncIterable<Segment>;

/** What a large object GET or HEAD is answered from. */
export interface LargeObject {
  listing: SegmentListing;
  /** Total length; undefined when unknown up front (a DLO listing past one page): sent chunked, whole. */
  length?: number;
  /** Response headers (ETag, type, metadata); length and range headers are added here. */
  headers: Record<string, string>;
  /** `SLO` or `DLO`, for subrequests. */
  source: string;
}

const unquote = (etag: string | undefined) => (etag ?? '').replace(/"/g, '');

/** Fetches one segment's bytes, checking what it answers against what the manifest recorded. */
async function* segmentData(
  req: SwiftRequest,
  fetch: Handler,
  seg: Segment,
  source: string,
): AsyncGenerator<Buffer> {
  const whole = seg.size !== undefined && seg.start === 0 && seg.end === seg.size - 1;
  const sub = subrequest(
    req,
    'GET',
    seg.path,
    whole ? {} : { range: `bytes=${seg.start}-${seg.end}` },
    undefined,
    source,
  );
  // A segment is read as a plain object: were it a manifest, its own bytes come back (and fail the checks).
  sub.query.set('multipart-manifest', 'get');
  const res = await fetch(sub);
  try {
    if (res.status >= 500) throw new SegmentUnavailable(`got ${res.status} while retrieving ${seg.path}`);
    if (res.status < 200 || res.status >= 300)
      throw new SegmentError(`got ${res.status} while retrieving ${seg.path}`);
    const length = res.headers['content-length'];
    if (
      (seg.etag !== undefined && unquote(res.headers.etag) !== unquote(seg.etag)) ||
      (whole && seg.size !== undefined && length !== undefined && Number(length) !== seg.size)
    )
      throw new SegmentError(`Object segment no longer valid: ${seg.path}`);
    const want = seg.end - seg.start + 1;
    // A 200 to a ranged request carries the whole segment: skip to the part used.
    let skip = res.status === 200 && !whole ? seg.start : 0;
    let got = 0;
    for await (const chunk of chunksOf(res.body)) {
      let c = chunk;
      if (skip > 0) {
        const n = Math.min(skip, c.length);
        skip -= n;
        c = c.subarray(n);
      }
      if (c.length === 0) continue;
      if (got + c.length > want) {
        yield c.subarray(0, want - got);
        if (res.status === 200 && !whole) return;
        throw new SegmentError(`Too many bytes in ${seg.path}`);
      }
      got += c.length;
      yield c;
    }
    if (got < want) throw new SegmentError(`Expected another ${want - got} bytes from ${seg.path}`);
  } finally {
    discardBody(res.body);
  }
}

/**
 * Streams the given segments. Throws (so the connection is cut, never left waiting for bytes
 * promised by Content-Length) when a segment is gone or changed, when the total differs from
 * `expected`, or past `MAX_GET_TIME_SECONDS`.
 */
async function* segmentBytes(
  req: SwiftRequest,
  fetch: Handler,
  segments: AsyncIterable<Segment>,
  expected: number | undefined,
  source: string,
): AsyncGenerator<Buffer> {
  const deadline = Date.now() + MAX_GET_TIME_SECONDS * 1000;
  let sent = 0;
  for await (const seg of segments) {
    for await (const chunk of segmentData(req, fetch, seg, source)) {
      if (expected !== undefined && sent + chunk.length > expected) {
        yield chunk.subarray(0, expected - sent);
        throw new SegmentError(`Too many bytes for ${req.path}`);
      }
      sent += chunk.length;
      yield chunk;
      if (Date.now() > deadline)
        throw new SegmentError(
          `While processing manifest ${req.path}, max LO GET time of ${MAX_GET_TIME_SECONDS}s exceeded`,
        );
    }
  }
  if (expected !== undefined && sent !== expected)
    throw new SegmentError(`Expected another ${expected - sent} bytes for ${req.path}`);
}

/**
 * Reads up to the first chunk before any header is sent, as upstream's `validate_first_segment`:
 * a first segment that is missing or changed (or a listing that fails) answers 409 Conflict, a
 * storage failure 503; later failures can only cut the body short.
 */
async function validatedBody(
  body: AsyncGenerator<Buffer>,
): Promise<{ body: AsyncIterable<Buffer> } | { error: SwiftResponse }> {
  let first: IteratorResult<Buffer>;
  try {
    first = await body.next();
  } catch (err) {
    if (err instanceof SegmentUnavailable) return { error: errorResponse(503) };
    if (err instanceof SegmentError || err instanceof ListingError) return { error: errorResponse(409) };
    throw err;
  }
  // Not a generator: a body dropped before its first read must still release the open segment.
  let pending: IteratorResult<Buffer> | undefined = first;
  const close = async (value?: unknown): Promise<IteratorResult<Buffer>> => {
    pending = undefined;
    await body.return(undefined);
    return { done: true, value: value as Buffer };
  };
  const iterator: AsyncIterableIterator<Buffer> & { destroy(): void } = {
    [Symbol.asyncIterator]() {
      return iterator;
    },
    next() {
      const p = pending;
      pending = undefined;
      return p ? Promise.resolve(p) : body.next();
    },
    return: close,
    destroy() {
      void close().catch(() => undefined);
    },
  };
  return { body: iterator };
}

/**
 * Answers a GET or HEAD of a large object from its segments: the whole, or the one range asked
 * for (206), with the given headers. A segment's size and ETag are checked as it is read.
 */
export async function segmentedResponse(
  req: SwiftRequest,
  fetch: Handler,
  obj: LargeObject,
): Promise<SwiftResponse> {
  const out: Record<string, string> = { ...obj.headers, 'accept-ranges': 'bytes' };
  delete out['content-length'];
  delete out['content-range'];
  const total = obj.length;
  let first = 0;
  let last = total === undefined ? Number.POSITIVE_INFINITY : total - 1;
  let status = 200;
  // Ranges need the total; past one listing page a DLO is sent whole, as upstream does.
  const ranges = req.headers.range && total !== undefined ? parseRange(req.headers.range, total) : undefined;
  if (ranges && ranges.length === 0)
    return errorResponse(416, undefined, { 'content-range': `bytes */${total}` });
  if (ranges && ranges.length === 1) {
    [first, last] = ranges[0]!;
    out['content-range'] = `bytes ${first}-${last}/${total}`;
    status = 206;
  }
  const expected = total === undefined ? undefined : last - first + 1;
  if (expected !== undefined) out['content-length'] = String(expected);
  if (req.method === 'HEAD') return response(status, undefined, out);
  if (expected === 0) return response(status, '', out);
  const checked = await validatedBody(
    segmentBytes(req, fetch, obj.listing(first, last), expected, obj.source),
  );
  return 'error' in checked ? checked.error : response(status, checked.body, out);
}
