import { type ApiReply, respond } from '@nimbus/http';
import type { PlacementRequest } from './placement-request';

/** An HTTP date (`Tue, 01 Dec 2026 10:00:00 GMT`) of a stored timestamp, or now. */
export function httpDate(timestamp?: string | null): string {
  return (timestamp ? new Date(timestamp) : new Date()).toUTCString();
}

/** The newest of some timestamps (undefined when none). */
export function newest(timestamps: Iterable<string | null | undefined>): string | undefined {
  let best: string | undefined;
  for (const t of timestamps) if (t && (!best || t > best)) best = t;
  return best;
}

/**
 * A JSON reply; from microversion 1.15 with `cache-control: no-cache` and `last-modified` (the
 * given timestamp, or now).
 */
export function jsonReply(
  req: PlacementRequest,
  body: unknown,
  options: { status?: number; lastModified?: string | null; headers?: Record<string, string> } = {},
): ApiReply {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (req.atLeast('1.15')) {
    headers['cache-control'] = 'no-cache';
    headers['last-modified'] = httpDate(options.lastModified);
  }
  // A Buffer keeps the content type as given (fastify would add a charset to a JSON string).
  return respond(options.status ?? 200, Buffer.from(JSON.stringify(body)), headers);
}

/** A reply whose JSON is already bytes (large bodies rendered piecewise). */
export function jsonBytesReply(req: PlacementRequest, body: Buffer): ApiReply {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (req.atLeast('1.15')) {
    headers['cache-control'] = 'no-cache';
    headers['last-modified'] = httpDate();
  }
  return respond(200, body, headers);
}

/** An empty reply (201 or 204), with headers. */
export function emptyReply(status: number, headers: Record<string, string> = {}): ApiReply {
  return respond(status, undefined, headers);
}
