import type { TokenSubjects } from '../token/token-provider';
import type { ApplicationCredentialAuth, OAuth1Auth, TrustAuth } from '../ext/extension-managers';
import type { AuthDirectory } from './auth-directory';

/**
 * What token validation re-reads at every check, from the directory and the extensions: the
 * user, project and domain must still exist and be enabled, and the roles the token carries are
 * the ones held now (a trust's, an application credential's or an OAuth1 access token's roles for
 * such tokens).
 */
export function tokenSubjects(
  directory: AuthDirectory,
  trusts: TrustAuth,
  appCreds: ApplicationCredentialAuth,
  oauth1?: OAuth1Auth,
): TokenSubjects {
  return {
    async user(id) {
      const u = await directory.user(id);
      return u && { id: u.id, enabled: u.enabled, domainId: u.domainId, domainEnabled: u.domainEnabled };
    },
    async project(id) {
      const p = await directory.project(id);
      return p && { id: p.id, enabled: p.enabled, domainId: p.domainId, domainEnabled: p.domainEnabled };
    },
    async domain(id) {
      const d = await directory.domain(id);
      return d && { id: d.id, enabled: d.enabled };
    },
    async roleIds(payload) {
      if (payload.trustId) return (await trusts.scope(payload.trustId))?.roleIds ?? [];
      if (payload.applicationCredentialId)
        return (await appCreds.identity(payload.applicationCredentialId))?.roleIds ?? [];
      if (payload.accessTokenId) return (await oauth1?.identity(payload.accessTokenId))?.roleIds ?? [];
      if (payload.projectId) return directory.roleIds(payload.userId, { projectId: payload.projectId });
      if (payload.domainId) return directory.roleIds(payload.userId, { domainId: payload.domainId });
      if (payload.system) return directory.roleIds(payload.userId, { system: true });
      return [];
    },
  };
}
