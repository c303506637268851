/**
 * A revocation event, as Keystone records them: every field that is set must match a token for
 * the event to revoke it, and only tokens issued at or before `issuedBefore` are affected.
 */
export interface RevocationEvent {
  userId?: string;
  projectId?: string;
  domainId?: string;
  roleId?: string;
  trustId?: string;
  consumerId?: string;
  accessTokenId?: string;
  applicationCredentialId?: string;
  /** The token's own audit id (revokes one token). */
  auditId?: string;
  /** The first audit id of a chain (revokes a token and every token rescoped from it). */
  auditChainId?: string;
  /** Seconds since the epoch. */
  issuedBefore: number;
  revokedAt: number;
}

/** What of a token the events are matched against. */
export interface RevocableToken {
  userId: string;
  /** Trustor and trustee of a trust-scoped token, both revoked with either user. */
  trustorId?: string;
  trusteeId?: string;
  projectId?: string;
  /** The user's, the project's and the token's own domain. */
  domainIds: string[];
  roleIds: string[];
  trustId?: string;
  consumerId?: string;
  accessTokenId?: string;
  applicationCredentialId?: string;
  /** Own audit id first, then the chain's first. */
  auditIds: string[];
  /** Seconds since the epoch. */
  issuedAt: number;
}

/** True when `event` revokes `token`, by Keystone's matching rules. */
export function revokes(event: RevocationEvent, token: RevocableToken): boolean {
  if (token.issuedAt > event.issuedBefore) return false;
  if (
    event.userId !== undefined &&
    event.userId !== token.userId &&
    event.userId !== token.trustorId &&
    event.userId !== token.trusteeId
  )
    return false;
  if (event.projectId !== undefined && event.projectId !== token.projectId) return false;
  if (event.domainId !== undefined && !token.domainIds.includes(event.domainId)) return false;
  if (event.roleId !== undefined && !token.roleIds.includes(event.roleId)) return false;
  if (event.trustId !== undefined && event.trustId !== token.trustId) return false;
  if (event.consumerId !== undefined && event.consumerId !== token.consumerId) return false;
  if (event.accessTokenId !== undefined && event.accessTokenId !== token.accessTokenId) return false;
  if (
    event.applicationCredentialId !== undefined &&
    event.applicationCredentialId !== token.applicationCredentialId
  )
    return false;
  if (event.auditId !== undefined && event.auditId !== token.auditIds[0]) return false;
  if (event.auditChainId !== undefined && event.auditChainId !== token.auditIds[token.auditIds.length - 1])
    return false;
  return true;
}
