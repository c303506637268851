/** How a client retries a call that failed before an answer came back. */
export interface RetryPolicy {
  /** Tries in all for an idempotent call (1 = no retry). Non-idempotent calls are tried once. */
  attempts: number;
  /** Wait before the first retry; doubled for each further one. */
  backoffMs: number;
  /** Upper bound of one wait. */
  maxBackoffMs: number;
}

/** Three tries, 100 ms then 200 ms apart (keystoneauth's connect retries, bounded and short). */
export const defaultRetryPolicy: RetryPolicy = { attempts: 3, backoffMs: 100, maxBackoffMs: 2000 };

/** Methods that may be sent twice with the effect of once (RFC 9110 §9.2.2), as keystoneauth retries them. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Whether a call with this method may be retried. */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

/** Socket-level failures where the peer got nothing or dropped the connection: safe to retry when idempotent. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/**
 * Whether an error thrown by `fetch` is a connection failure (refused, reset, "socket hang up",
 * "other side closed"), looking through undici's `TypeError('fetch failed')` wrapper to its cause.
 */
export function isConnectionError(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    depth++
  ) {
    if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && /socket hang up|other side closed/i.test(e.message)) return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** The wait before retry number `retry` (1 for the first retry). */
export function backoffDelayMs(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (retry - 1));
}
