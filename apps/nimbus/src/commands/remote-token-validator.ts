import { CachingTokenValidator, type TokenValidator } from '@nimbus/auth';
import { IdentityTokenValidator, Session } from '@nimbus/clients';
import type { Config } from '@nimbus/config';
import { serviceUserOptions } from '@nimbus/service';

/**
 * For a role that runs without identity in its process: validate tokens against the identity API
 * as the configured service user, reusing answers for `token_cache_seconds` (the revocation delay).
 */
export function remoteTokenValidator(config: Config): TokenValidator {
  const o = config.group(serviceUserOptions);
  const session = new Session({
    authUrl: o.auth_url,
    auth: {
      kind: 'password',
      username: o.username,
      password: o.password,
      userDomainName: o.user_domain_name,
      projectName: o.project_name,
      projectDomainName: o.project_domain_name,
    },
  });
  return new CachingTokenValidator(new IdentityTokenValidator(o.auth_url, () => session.token()), {
    ttlSeconds: o.token_cache_seconds,
    maxEntries: 10_000,
  });
}
