import type { Credentials } from './credentials';

/** Options of one validation. */
export interface ValidateOptions {
  /** Accept an expired (but otherwise valid, unrevoked) token, as `allow_expired` does. */
  allowExpired?: boolean;
  /** Include the catalog in the credentials. */
  includeCatalog?: boolean;
}

/**
 * Turns a token into credentials. The identity service implements it locally (Fernet keys in
 * the same process or shared on disk); other processes use a remote implementation that asks the
 * identity API with a short cache. Throws UnauthorizedError for an invalid, expired or revoked token.
 */
export interface TokenValidator {
  validate(token: string, options?: ValidateOptions): Promise<Credentials>;
}
