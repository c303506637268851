import { randomBytes } from 'node:crypto';
import type { Body, SwiftResponse } from './swift-http';

/** Inclusive byte ranges. */
export type ByteRange = [start: number, end: number];

/**
 * Parses a `Range: bytes=...` header against a length, as swob: undefined when the header is
 * absent or malformed (the whole entity is sent), `[]` when no range can be satisfied (416).
 */
export function parseRange(header: string | undefined, length: number): ByteRange[] | undefined {
  if (!header) return undefined;
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!m) return undefined;
  const specs = m[1]!.split(',').map((s) => s.trim());
  if (specs.length > 100) return undefined;
  const out: ByteRange[] = [];
  for (const spec of specs) {
    const r = /^(\d*)-(\d*)$/.exec(spec);
    if (!r || (r[1] === '' && r[2] === '')) return undefined;
    if (r[1] === '') {
      const suffix = Number(r[2]);
      if (suffix === 0) continue;
      out.push([Math.max(0, length - suffix), length - 1]);
      continue;
    }
    const start = Number(r[1]);
    const end = r[2] === '' ? length - 1 : Number(r[2]);
    if (end < start) return undefined;
    if (start >= length) continue;
    out.push([start, Math.min(end, length - 1)]);
  }
  return length === 0 ? [] : out;
}

/** A readable part of an entity: `read(start, end)` yields the inclusive range. */
export type RangeReader = (start: number, end: number) => Body;

/**
 * Applies Range to a 200 answer: 206 with one range or a multipart/byteranges body, 416 when
 * nothing is satisfiable, the whole entity when the header is absent or malformed.
 */
export function applyRange(
  res: SwiftResponse,
  rangeHeader: string | undefined,
  length: number,
  read: RangeReader,
): SwiftResponse {
  const ranges = parseRange(rangeHeader, length);
  if (ranges === undefined) return { ...res, body: read(0, length - 1) };
  if (ranges.length === 0) {
    return {
      status: 416,
      headers: {
        'content-range': `bytes */${length}`,
        'content-type': 'text/html; charset=UTF-8',
        'accept-ranges': 'bytes',
      },
      body: '<html><h1>Requested Range Not Satisfiable</h1><p>The Range requested is not available.</p></html>',
    };
  }
  const headers: Record<string, string> = { ...res.headers, 'accept-ranges': 'bytes' };
  if (ranges.length === 1) {
    const [s, e] = ranges[0]!;
    headers['content-range'] = `bytes ${s}-${e}/${length}`;
    headers['content-length'] = String(e - s + 1);
    return { status: 206, headers, body: read(s, e) };
  }
  const boundary = randomBytes(16).toString('hex');
  const type = res.headers['content-type'] ?? 'application/octet-stream';
  const parts = ranges.map(([s, e]) => ({
    head: Buffer.from(
      `--${boundary}\r\nContent-Type: ${type}\r\nContent-Range: bytes ${s}-${e}/${length}\r\n\r\n`,
    ),
    s,
    e,
  }));
  const tail = Buffer.from(`--${boundary}--`);
  const total = parts.reduce((n, p) => n + p.head.length + (p.e - p.s + 1) + 2, 0) + tail.length;
  headers['content-type'] = `multipart/byteranges;boundary=${boundary}`;
  headers['content-length'] = String(total);
  async function* body(): AsyncIterable<Buffer> {
    for (const p of parts) {
      yield p.head;
      const piece = read(p.s, p.e);
      if (typeof piece === 'string') yield Buffer.from(piece);
      else if (Buffer.isBuffer(piece)) yield piece;
      else for await (const c of piece) yield c;
      yield Buffer.from('\r\n');
    }
    yield tail;
  }
  return { status: 206, headers, body: body() };
}

/**
 * Evaluates If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since against an
 * entity: answers 304 or 412 when a condition fails, else undefined.
 */
export function checkConditions(
  headers: Record<string, string>,
  etag: string,
  lastModifiedSeconds: number,
  method: string,
  extra: Record<string, string> = {},
): SwiftResponse | undefined {
  const matches = (list: string) =>
    list
      .split(',')
      .map((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, ''))
      .some((t) => t === '*' || t === etag);
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined && !matches(ifMatch))
    return {
      status: 412,
      headers: { etag, ...extra },
      body: '<html><h1>Precondition Failed</h1><p>A precondition for this request was not met.</p></html>',
    };
  const ifNone = headers['if-none-match'];
  if (ifNone !== undefined && matches(ifNone)) {
    const status = method === 'GET' || method === 'HEAD' ? 304 : 412;
    return { status, headers: { etag, ...extra } };
  }
  const since = headers['if-modified-since'];
  if (since && ifNone === undefined) {
    const t = Date.parse(since);
    if (!Number.isNaN(t) && lastModifiedSeconds * 1000 <= t)
      return { status: 304, headers: { etag, ...extra } };
  }
  const unmod = headers['if-unmodified-since'];
  if (unmod && ifMatch === undefined) {
    const t = Date.parse(unmod);
    if (!Number.isNaN(t) && lastModifiedSeconds * 1000 > t)
      return { status: 412, headers: { etag, ...extra } };
  }
  return undefined;
}
