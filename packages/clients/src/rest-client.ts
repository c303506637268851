import { setTimeout as sleep } from 'node:timers/promises';
import { RemoteServiceError, faultMessage } from './http-error';

/** Gives a client its base URL and current token; a Session does both from the catalog. */
export interface EndpointSource {
  /** Base URL of the service (`http://host:9292`), from the catalog. */
  endpoint(): Promise<string>;
  /** A valid token for X-Auth-Token, or undefined for anonymous calls. */
  token(): Promise<string | undefined>;
  /** Called after a 401 so the next token() re-authenticates. */
  invalidate?(): void;
}

/** One request. */
export interface RestRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'COPY';
  /** Path appended to the endpoint (`/v2/images`). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  body?: Uint8Array | string | ReadableStream | NodeJS.ReadableStream;
  headers?: Record<string, string>;
  /** The global request id to pass on (`X-OpenStack-Request-ID`). */
  requestId?: string;
  /** Statuses that are answers, not errors (e.g. 404 on a HEAD that checks existence). */
  expect?: readonly number[];
}

/** A response whose body has not been read yet. */
export interface RestResponse {
  status: number;
  headers: Headers;
  json<T>(): Promise<T>;
  text(): Promise<string>;
  body: ReadableStream<Uint8Array> | null;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const RETRY_STATUS = new Set([502, 503, 504]);

/**
 * The base of every service client: finds the endpoint, sends the token and the request id,
 * turns fault bodies into RemoteServiceError, and retries idempotent calls (3 tries, backoff)
 * when the peer is unreachable or answers 502/503/504. A 401 re-authenticates once.
 */
export class RestClient {
  constructor(
    readonly service: string,
    private readonly source: EndpointSource,
    private readonly options: { retries?: number; backoffMs?: number } = {},
  ) {}

  async request(req: RestRequest): Promise<RestResponse> {
    const retries = IDEMPOTENT.has(req.method) && !isStream(req.body) ? (this.options.retries ?? 3) : 1;
    let reauthenticated = false;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await this.send(req);
      } catch (err) {
        if (attempt < retries) {
          await sleep((this.options.backoffMs ?? 100) * 2 ** (attempt - 1));
          continue;
        }
        throw new RemoteServiceError(503, `${this.service} is unreachable: ${(err as Error).message}`, this.service, undefined);
      }
      if (res.status === 401 && !reauthenticated && this.source.invalidate) {
        reauthenticated = true;
        this.source.invalidate();
        await res.body?.cancel();
        continue;
      }
      if (RETRY_STATUS.has(res.status) && attempt < retries) {
        await res.body?.cancel();
        await sleep((this.options.backoffMs ?? 100) * 2 ** (attempt - 1));
        continue;
      }
      if (res.status >= 400 && !req.expect?.includes(res.status)) {
        const text = req.method === 'HEAD' ? '' : await res.text();
        throw new RemoteServiceError(res.status, faultMessage(text) || `${this.service} answered ${res.status}`, this.service, res.headers.get('x-openstack-request-id') ?? undefined);
      }
      return { status: res.status, headers: res.headers, json: () => res.json() as never, text: () => res.text(), body: res.body };
    }
  }

  /** Sends a JSON request and returns the parsed body (undefined for empty answers). */
  async json<T>(req: RestRequest): Promise<T> {
    const res = await this.request(req);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async send(req: RestRequest): Promise<Response> {
    const base = await this.source.endpoint();
    const url = new URL(base.replace(/\/$/, '') + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    const token = await this.source.token();
    if (token) headers['x-auth-token'] = token;
    if (req.requestId) headers['x-openstack-request-id'] = req.requestId;
    let body: RequestInit["body"];
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/json';
    } else body = req.body as RequestInit["body"];
    return fetch(url, { method: req.method, headers, body, ...(isStream(req.body) ? { duplex: 'half' } : {}) } as RequestInit);
  }
}

function isStream(body: unknown): boolean {
  return !!body && typeof body === 'object' && (typeof (body as { pipe?: unknown }).pipe === 'function' || typeof (body as { getReader?: unknown }).getReader === 'function');
}
