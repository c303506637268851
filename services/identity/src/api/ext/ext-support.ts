import type { Credentials } from '@nimbus/auth';
import type { ApiRequest } from '@nimbus/http';
import type { Caller } from '../../manager/ext/caller';
import type { RoleRef } from '../../manager/ext/core-access';
import type { ExtensionManagers } from '../../manager/ext/extension-managers';
import { v3Url } from '../keystone-api';

export { collection, policyTarget, queryValue, splitExtra, types, v3Url } from '../keystone-api';

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
  if (creds.oauth1) c.accessTokenId = creds.oauth1.accessTokenId;
  if (creds.applicationCredential)
    c.applicationCredential = {
      id: creds.applicationCredential.id,
      unrestricted: !creds.applicationCredential.restricted,
    };
  return c;
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
