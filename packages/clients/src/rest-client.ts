import { setTimeout as sleep } from 'node:timers/promises';
import {
  EndpointNotFound,
  faultMessage,
  RemoteServiceError,
  ServiceTimeout,
  ServiceUnreachable,
} from './http-error';
import {
  backoffDelayMs,
  defaultRetryPolicy,
  isConnectionError,
  isIdempotent,
  type RetryPolicy,
} from './retry-policy';

/** Gives a client its base URL and current tokens; a Session (or ServiceClients) does both from the catalog. */
export interface EndpointSource {
  /** Base URL of the service (`http://host:9292`), from the catalog. */
  endpoint(): Promise<string>;
  /** A valid token for X-Auth-Token, or undefined for anonymous calls. */
  token(): Promise<string | undefined>;
  /** The service's own token for X-Service-Token, when acting for a user (keystonemiddleware checks both). */
  serviceToken?(): Promise<string | undefined>;
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
  /** The global request id to pass on (`X-OpenStack-Request-ID`); default the client's. */
  requestId?: string;
  /** Statuses that are answers, not errors (e.g. 404 on a HEAD that checks existence). */
  expect?: readonly number[];
  /** Seconds to wait for the answer's headers (not its body); default the client's. 0 waits forever. */
  timeoutSeconds?: number;
}

/** A response whose body has not been read yet. */
export interface RestResponse {
  status: number;
  headers: Headers;
  json<T>(): Promise<T>;
  text(): Promise<string>;
  body: ReadableStream<Uint8Array> | null;
}

/** How a RestClient sends. */
export interface RestClientOptions {
  /** Retries of idempotent calls; default three tries, 100 ms backoff doubling. */
  retry?: Partial<RetryPolicy>;
  /** Seconds to wait for an answer's headers; default 60, or none when the request body is a stream. */
  timeoutSeconds?: number;
  /** Request id sent on calls that name none (the request this client acts in). */
  requestId?: string;
}

/** Statuses that mean "try again" for an idempotent call (a proxy or the peer is briefly unavailable). */
const RETRY_STATUS = new Set([502, 503, 504]);
const DEFAULT_TIMEOUT_SECONDS = 60;

/**
 * The base of every service client: finds the endpoint, sends the token (and the service token
 * when acting for a user) and the request id, turns fault bodies into RemoteServiceError, and
 * retries idempotent calls (GET, HEAD, PUT, DELETE without a streamed body) with a doubling backoff
 * when the connection fails or the peer answers 502/503/504. Non-idempotent calls are sent once. A
 * 401 re-authenticates once. A call that gets no answer within its timeout fails with ServiceTimeout.
 */
export class RestClient {
  private readonly retry: RetryPolicy;

  constructor(
    readonly service: string,
    private readonly source: EndpointSource,
    private readonly options: RestClientOptions = {},
  ) {
    this.retry = { ...defaultRetryPolicy, ...options.retry };
  }

  async request(req: RestRequest): Promise<RestResponse> {
    const attempts = isIdempotent(req.method) && !isStream(req.body) ? Math.max(1, this.retry.attempts) : 1;
    let reauthenticated = false;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await this.send(req);
      } catch (err) {
        // Typed answers pass; anything else (the service user's authentication failing, a broken
        // body stream) means this service cannot use the other one now: 503, never the caller's 401.
        if (err instanceof RemoteServiceError || err instanceof EndpointNotFound) throw err;
        if (!isConnectionError(err)) throw new ServiceUnreachable(this.service, err);
        if (attempt < attempts) {
          await sleep(backoffDelayMs(this.retry, attempt));
          continue;
        }
        throw new ServiceUnreachable(this.service, err);
      }
      if (res.status === 401 && !reauthenticated && this.source.invalidate) {
        reauthenticated = true;
        this.source.invalidate();
        await res.body?.cancel();
        attempt--;
        continue;
      }
      if (RETRY_STATUS.has(res.status) && attempt < attempts) {
        await res.body?.cancel();
        await sleep(backoffDelayMs(this.retry, attempt));
        continue;
      }
      if (res.status >= 400 && !req.expect?.includes(res.status)) {
        const text = req.method === 'HEAD' ? '' : await res.text();
        throw new RemoteServiceError(
          res.status,
          faultMessage(text) || `${this.service} answered ${res.status}`,
          this.service,
          res.headers.get('x-openstack-request-id') ?? undefined,
        );
      }
      return {
        status: res.status,
        headers: res.headers,
        json: () => res.json() as never,
        text: () => res.text(),
        body: res.body,
      };
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
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    const token = await this.source.token();
    if (token) headers['x-auth-token'] = token;
    const serviceToken = await this.source.serviceToken?.();
    if (serviceToken) headers['x-service-token'] = serviceToken;
    const requestId = req.requestId ?? this.options.requestId;
    if (requestId) headers['x-openstack-request-id'] = requestId;
    let body: RequestInit['body'];
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/json';
    } else body = req.body as RequestInit['body'];
    const timeoutSeconds =
      req.timeoutSeconds ?? this.options.timeoutSeconds ?? (isStream(req.body) ? 0 : DEFAULT_TIMEOUT_SECONDS);
    // The timer covers the wait for the answer's headers only: a streamed body may take longer.
    const abort = new AbortController();
    const timer = timeoutSeconds > 0 ? setTimeout(() => abort.abort(), timeoutSeconds * 1000) : undefined;
    try {
      return await fetch(url, {
        method: req.method,
        headers,
        body,
        signal: abort.signal,
        ...(isStream(req.body) ? { duplex: 'half' } : {}),
      } as RequestInit);
    } catch (err) {
      if (abort.signal.aborted) throw new ServiceTimeout(this.service, timeoutSeconds);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

function isStream(body: unknown): boolean {
  return (
    !!body &&
    typeof body === 'object' &&
    (typeof (body as { pipe?: unknown }).pipe === 'function' ||
      typeof (body as { getReader?: unknown }).getReader === 'function')
  );
}
