import type { Credentials, TokenValidator, ValidateOptions } from '@nimbus/auth';
import { IdentityClient } from './identity-client';

/**
 * Validates tokens by asking a remote identity API (GET /v3/auth/tokens with the service's own
 * token), as keystonemiddleware does for services in their own processes. Wrap it in a
 * CachingTokenValidator to bound the load and the revocation delay. ServiceClients gives one
 * through `identity.tokenValidator()`; this form takes a bare URL and token source.
 */
export class IdentityTokenValidator implements TokenValidator {
  private readonly identity: IdentityClient;

  constructor(
    authUrl: string,
    /** The service's own token (a Session's `token()`). */
    serviceToken: () => Promise<string>,
  ) {
    this.identity = new IdentityClient({
      endpoint: async () => authUrl,
      token: serviceToken,
    });
  }

  validate(token: string, options?: ValidateOptions): Promise<Credentials> {
    return this.identity.validateToken(token, options);
  }
}
