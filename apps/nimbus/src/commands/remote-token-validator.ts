import { CachingTokenValidator, type TokenValidator } from '@nimbus/auth';
import type { ServiceClients } from '@nimbus/clients';
import type { Config } from '@nimbus/config';
import { serviceUserOptions } from '@nimbus/service';

/**
 * For a role that runs without identity in its process: validate tokens against the identity API
 * as the service user (the asking service's clients), reusing answers for `token_cache_seconds`
 * (the revocation delay).
 */
export function remoteTokenValidator(config: Config, clients: ServiceClients): TokenValidator {
  return new CachingTokenValidator(clients.identity.tokenValidator(), {
    ttlSeconds: config.group(serviceUserOptions).token_cache_seconds,
    maxEntries: 10_000,
  });
}
