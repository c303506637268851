import type { GroupRecord } from '../../db/repositories/group-repository';
import type { UserView } from '../../manager/user/user-manager';
import { type IdentityRequest, v3Url } from '../keystone-api';

/** Keystone's timestamp in user bodies: microseconds, no zone (`2026-11-24T10:00:00.000000`). */
export function userTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$1000');
}

/** Keystone's user body, extra attributes (email, description...) at the top. */
export function userView(req: IdentityRequest, u: UserView): Record<string, unknown> {
  const body: Record<string, unknown> = {
    ...u.extra,
    id: u.id,
    name: u.name,
    domain_id: u.domainId,
    enabled: u.enabled,
    password_expires_at: u.passwordExpiresAt === null ? null : userTime(u.passwordExpiresAt),
    options: u.options,
    links: { self: v3Url(req, `/users/${u.id}`) },
  };
  if (u.defaultProjectId) body.default_project_id = u.defaultProjectId;
  return body;
}

/** Keystone's group body. */
export function groupView(req: IdentityRequest, g: GroupRecord): Record<string, unknown> {
  return {
    ...g.extra,
    id: g.id,
    name: g.name,
    domain_id: g.domainId,
    description: g.description,
    links: { self: v3Url(req, `/groups/${g.id}`) },
  };
}
