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
  return { ...req, headers: { ...req.headers, [IGNORE_RANGE_HEADER]: 'X-Static-Large-Object,X-Object-Manifest' } };
}

/** One piece of a large object: a segment's path and the byte range of it that is used. */
export interface Segment {
  path: string;
  /** First and last byte of the segment used (inclusive). */
  start: number;
  end: number;
}

/** Streams the bytes `[from, to]` of the concatenated segments, fetching each through the pipeline. */
async function* segmentBytes(
  req: SwiftRequest,
  root: Handler,
  segments: readonly Segment[],
  from: number,
  to: number,
  source: string,
): AsyncIterable<Buffer> {
  let offset = 0;
  for (const seg of segments) {
    const len = seg.end - seg.start + 1;
    const segFrom = Math.max(from, offset);
    const segTo = Math.min(to, offset + len - 1);
    offset += len;
    if (segFrom > segTo) continue;
    const s = seg.start + (segFrom - (offset - len));
    const e = seg.start + (segTo - (offset - len));
    const res = await root(subrequest(req, 'GET', seg.path, { range: `bytes=${s}-${e}` }, undefined, source));
    if (res.status !== 200 && res.status !== 206) {
      discardBody(res.body);
      throw new Error(`segment ${seg.path} answered ${res.status}`);
    }
    yield* chunksOf(res.body);
  }
}

/**
 * Answers a GET or HEAD of a large object from its segments: the whole, or the one range
 * asked for (206), with the given headers (ETag, type, metadata).
 */
export function segmentedResponse(
  req: SwiftRequest,
  root: Handler,
  segments: readonly Segment[],
  headers: Record<string, string>,
  source: string,
): SwiftResponse {
  const total = segments.reduce((n, s) => n + (s.end - s.start + 1), 0);
  const out: Record<string, string> = { ...headers, 'accept-ranges': 'bytes' };
  const ranges = req.headers.range ? parseRange(req.headers.range, total) : undefined;
  if (ranges && ranges.length === 0)
    return errorResponse(416, undefined, { 'content-range': `bytes */${total}` });
  if (ranges && ranges.length === 1) {
    const [s, e] = ranges[0]!;
    out['content-length'] = String(e - s + 1);
    out['content-range'] = `bytes ${s}-${e}/${total}`;
    return response(
      206,
      req.method === 'HEAD' ? undefined : segmentBytes(req, root, segments, s, e, source),
      out,
    );
  }
  out['content-length'] = String(total);
  if (req.method === 'HEAD' || total === 0) return response(200, req.method === 'HEAD' ? undefined : '', out);
  return response(200, segmentBytes(req, root, segments, 0, total - 1, source), out);
}
