import type { RoleRecord } from '../../db/repositories/role-repository';
import { type IdentityRequest, v3Url } from '../keystone-api';

/** Keystone's role body. */
export function roleBody(req: IdentityRequest, r: RoleRecord): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    domain_id: r.domainId,
    description: r.description,
    options: r.options,
    links: { self: v3Url(req, `/roles/${r.id}`) },
  };
}

/** A role as implied-role bodies show it. */
export function roleRef(req: IdentityRequest, r: RoleRecord): Record<string, unknown> {
  return { id: r.id, name: r.name, links: { self: v3Url(req, `/roles/${r.id}`) } };
}
