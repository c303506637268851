import { type Credentials, scopeOf, toPolicyCredentials } from '@nimbus/auth';
import type { PolicyCheck } from '@nimbus/http';
import type { PolicyEnforcer } from '@nimbus/policy';

/**
 * The credentials identity's rules read: the usual ones plus Keystone's `token.*` view
 * (`token.project.domain.id`, `token.domain.id`, `token.user.domain.id`...), which several of its
 * default rules use.
 */
export function identityPolicyCredentials(creds: Credentials): Record<string, unknown> {
  return {
    ...toPolicyCredentials(creds),
    token: {
      user_id: creds.userId,
      user: { id: creds.userId, domain: { id: creds.userDomainId } },
      project: creds.projectId ? { id: creds.projectId, domain: { id: creds.projectDomainId } } : undefined,
      domain: creds.domainId ? { id: creds.domainId } : undefined,
      system: creds.systemScope ? { all: true } : undefined,
    },
  };
}

/** Adapts identity's enforcer to the HTTP layer's PolicyCheck. */
export function identityPolicyCheck(enforcer: PolicyEnforcer): PolicyCheck {
  return {
    authorize(action, target, credentials) {
      enforcer.authorize(action, target, identityPolicyCredentials(credentials), scopeOf(credentials));
    },
    allowed(action, target, credentials) {
      try {
        return enforcer.enforce(action, target, identityPolicyCredentials(credentials), scopeOf(credentials))
          .allowed;
      } catch {
        return false;
      }
    },
  };
}
