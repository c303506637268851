import { type Credentials, toPolicyCredentials } from '@nimbus/auth';

/**
 * The credentials identity's rules read: the usual ones plus Keystone's `token.*` view
 * (`token.project.domain.id`, `token.domain.id`, `token.user.domain.id`...), which several of its
 * default rules use. Given to the shared policy adapter as identity's credentials mapper.
 */
export function identityPolicyCredentials(creds: Credentials): Record<string, unknown> {
  // Set on the fresh object rather than spread into a new one: spreading it costs microseconds a check.
  const out = toPolicyCredentials(creds);
  out.token = {
    user_id: creds.userId,
    user: { id: creds.userId, domain: { id: creds.userDomainId } },
    project: creds.projectId ? { id: creds.projectId, domain: { id: creds.projectDomainId } } : undefined,
    domain: creds.domainId ? { id: creds.domainId } : undefined,
    system: creds.systemScope ? { all: true } : undefined,
  };
  return out;
}
