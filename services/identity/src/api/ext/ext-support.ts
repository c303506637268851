import type { Credentials } from '@nimbus/auth';
import type { ApiRequest } from '@nimbus/http';
import type { Caller } from '../../manager/ext/caller';
import type { RoleRef } from '../../manager/ext/core-access';
import type { ExtensionManagers } from '../../manager/ext/extension-managers';

/** The part of identity's `req.services` the extension controllers use. */
export interface ExtensionServices {
  extensions: ExtensionManagers;
}

/** An ApiRequest of the extension routes. */
export type ExtRequest<B = any> = ApiRequest<B, ExtensionServices>;

/** The extension managers of a request. */
export function ext(req: ExtRequest): ExtensionManagers {
  return req.services.extensions;
}

/** The caller, as the extension managers see it, from the validated token. */
export function callerOf(creds: Credentials): Caller {
  const c: Caller = { userId: creds.userId, roleIds: creds.roleIds, methods: creds.methods };
  if (creds.projectId) c.projectId = creds.projectId;
  if (creds.domainId) c.domainId = creds.domainId;
  if (creds.systemScope) c.system = true;
  if (creds.trust) c.trustId = creds.trust.id;
  if (creds.applicationCredential)
    c.applicationCredential = {
      id: creds.applicationCredential.id,
      unrestricted: !creds.applicationCredential.restricted,
    };
  return c;
}

/** Absolute URL of a `/v3/...` path, for `links`. */
export function v3Url(req: ExtRequest, path: string): string {
  return `${req.baseUrl}/v3${path}`;
}

/** Keystone's collection body: `{key: items, links: {self, previous, next}}`. */
export function collection(req: ExtRequest, key: string, items: unknown[]): Record<string, unknown> {
  return {
    [key]: items,
    links: { self: new URL(req.url, req.baseUrl).toString(), previous: null, next: null },
  };
}

/** A single query-string value (the last when repeated). */
export function queryValue(req: ExtRequest, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (Array.isArray(v)) return v.length ? String(v[v.length - 1]) : undefined;
  return v === undefined ? undefined : String(v);
}

/** Keystone's role body with its self link. */
export function roleView(req: ExtRequest, r: RoleRef): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    domain_id: r.domainId,
    description: r.description,
    options: r.options,
    links: { self: v3Url(req, `/roles/${r.id}`) },
  };
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
