import type { ApiRequest } from '@nimbus/http';

/** An identity API request; `S` is the part of `req.services` a controller reads. */
export type IdentityRequest<B = any, S = any> = ApiRequest<B, S>;

/**
 * Keystone's reading of a boolean query filter (`?enabled=false`, `?is_domain=0`): '0', 'false',
 * 'f', 'n', 'no' and 'off' (any case) are false; anything else, the empty string included, is true.
 */
export function queryTruthy(value: string): boolean {
  return !['0', 'false', 'f', 'n', 'no', 'off'].includes(value.toLowerCase());
}

/** Absolute URL of a `/v3/...` path, for `links`. */
export function v3Url(req: IdentityRequest, path: string): string {
  return `${req.baseUrl}/v3${path}`;
}

/** Keystone's collection body: `{key: items, links: {self, previous, next}}`. */
export function collection(req: IdentityRequest, key: string, items: unknown[]): Record<string, unknown> {
  return {
    [key]: items,
    links: { self: new URL(req.url, req.baseUrl).toString(), previous: null, next: null },
  };
}

/** A single query-string value (the last when repeated). */
export function queryValue(req: IdentityRequest, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (Array.isArray(v)) return v.length ? String(v[v.length - 1]) : undefined;
  return v === undefined ? undefined : String(v);
}

/** Splits a body's known fields from the rest, which Keystone keeps as extra attributes. */
export function splitExtra(body: Record<string, unknown>, known: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !known.includes(k)));
}

/** JSON Schema helpers mirroring Keystone's parameter types. */
export const types = {
  idString: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' },
  name: { type: 'string', minLength: 1, maxLength: 255, pattern: '[\\S]+' },
  description: { type: 'string' },
  nullableDescription: { type: ['string', 'null'] },
  boolean: { type: 'boolean' },
  /** Keystone's parameter_types.url: an http(s) URL. */
  url: { type: 'string', minLength: 0, maxLength: 225, pattern: '^[a-zA-Z0-9+.-]+:.+' },
} as const;

/**
 * A policy target as Keystone builds it: the resource under `target` (rules read
 * `%(target.credential.user_id)s`) and the URL's arguments and body at the top (`%(user_id)s`).
 */
export function policyTarget(
  resource: Record<string, unknown>,
  top: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...top, target: resource };
}
