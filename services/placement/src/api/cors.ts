import { respond, type ApiReply } from '@nimbus/http';

/** What oslo.middleware's CORS filter is configured with. */
export interface CorsPolicy {
  allowedOrigins: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowMethods: string[];
  allowCredentials: boolean;
  maxAgeSeconds: number;
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * A preflight (OPTIONS with Origin and Access-Control-Request-Method) answered as oslo's CORS
 * filter does: 200, with the allow headers only when the origin, method and headers are allowed.
 * Undefined when CORS is off or the request is no preflight.
 */
export function corsPreflight(
  policy: CorsPolicy | undefined,
  method: string,
  headers: Headers,
): ApiReply | undefined {
  if (!policy?.allowedOrigins.length || method !== 'OPTIONS') return undefined;
  const origin = text(headers.origin);
  const wanted = text(headers['access-control-request-method']);
  if (!origin || !wanted) return undefined;
  const out: Record<string, string> = { vary: 'Origin' };
  const requestedHeaders = (text(headers['access-control-request-headers']) ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const allowedHeaders = policy.allowHeaders.map((h) => h.toLowerCase());
  if (
    allowed(policy, origin) &&
    policy.allowMethods.includes(wanted.toUpperCase()) &&
    requestedHeaders.every((h) => allowedHeaders.includes(h))
  ) {
    out['access-control-allow-origin'] = origin;
    out['access-control-allow-methods'] = wanted;
    if (requestedHeaders.length) out['access-control-allow-headers'] = requestedHeaders.join(',');
    if (policy.allowCredentials) out['access-control-allow-credentials'] = 'true';
    out['access-control-max-age'] = String(policy.maxAgeSeconds);
  }
  return respond(200, undefined, out);
}

/** The headers an actual cross-origin request's answer gets (none when the origin is not allowed). */
export function corsHeaders(policy: CorsPolicy | undefined, headers: Headers): Record<string, string> {
  const origin = text(headers.origin);
  if (!policy?.allowedOrigins.length || !origin || !allowed(policy, origin)) return {};
  const out: Record<string, string> = { 'access-control-allow-origin': origin, vary: 'Origin' };
  if (policy.allowCredentials) out['access-control-allow-credentials'] = 'true';
  if (policy.exposeHeaders.length) out['access-control-expose-headers'] = policy.exposeHeaders.join(',');
  return out;
}

function allowed(policy: CorsPolicy, origin: string): boolean {
  return policy.allowedOrigins.includes(origin) || policy.allowedOrigins.includes('*');
}

function text(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}
