import { type NetworkClient, RemoteServiceError } from '@nimbus/clients';
import { BadRequestError } from '@nimbus/errors';
import type { ComputeRequest } from '../compute-request';

/** The network (Neutron) client acting for the caller, with the caller's token. */
export function networkFor(req: ComputeRequest): NetworkClient {
  return req.services.clients.forRequest(req).network;
}

/** The policy target of a proxy call: the caller's own project (Nova's proxies check no resource). */
export function ownProject(req: ComputeRequest): { project_id: string } {
  return { project_id: req.credentials.projectId ?? '' };
}

/** The status another service answered with, or undefined when `err` is not such an answer. */
export function remoteStatus(err: unknown): number | undefined {
  return err instanceof RemoteServiceError ? err.httpStatus : undefined;
}

/** Runs `call`; an answer of another service with a status in `map` becomes the error made for it. */
export async function translating<T>(
  call: () => Promise<T>,
  map: Record<number, (message: string) => Error>,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const status = remoteStatus(err);
    const make = status === undefined ? undefined : map[status];
    if (make) throw make((err as Error).message);
    throw err;
  }
}

/** The body's object under `key`, with Nova's messages when the body or the key is missing. */
export function fromBody(body: unknown, key: string): Record<string, unknown> {
  if (!body || typeof body !== 'object' || !Object.keys(body).length)
    throw new BadRequestError("The request body can't be empty", { code: 'COMPUTE_INVALID_INPUT' });
  const value = (body as Record<string, unknown>)[key];
  if (value === undefined || value === null)
    throw new BadRequestError(`Missing parameter ${key}`, { code: 'COMPUTE_INVALID_INPUT' });
  return value as Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Whether `value` reads as a UUID (oslo's is_uuid_like: dashes optional, any case). */
export function isUuidLike(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** `limit` and `offset` from the query, applied as Nova's `common.limited`. */
export function limited<T>(req: ComputeRequest, items: T[]): T[] {
  const q = req.query as Record<string, string | string[] | undefined>;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[v.length - 1] : v);
  const int = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v))
      throw new BadRequestError(`Invalid input for query parameters ${name}. Value: ${v}.`, {
        code: 'COMPUTE_INVALID_INPUT',
      });
    return Number(v);
  };
  const offset = int('offset', one(q.offset)) ?? 0;
  const max = req.services.options.maxLimit;
  const limit = Math.min(int('limit', one(q.limit)) ?? max, max);
  return items.slice(offset, offset + limit);
}
