import type { Credentials, TokenValidator, ValidateOptions } from '@nimbus/auth';
import { UnauthorizedError } from '@nimbus/errors';
import type { RevocationManager } from '../revocation/revocation-manager';
import { TokenNotFound, type TokenProvider } from '../token/token-provider';
import type { TokenRenderer } from './token-renderer';

interface Entry {
  credentials: Credentials;
  generation: number;
  until: number;
}

/**
 * Token validation for the services of this process (and identity's own API): Fernet checks
 * locally, then a short cache so that a busy API does not re-read users and roles on every call.
 * The cache is dropped as soon as any revocation event arrives, so revocation works at once;
 * entries also age out after `ttlMs`, which bounds how long a rename or a new role takes to show.
 */
export class LocalTokenValidator implements TokenValidator {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly tokens: TokenProvider,
    private readonly renderer: TokenRenderer,
    private readonly revocations: RevocationManager,
    private readonly ttlMs = 2000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async validate(token: string, options: ValidateOptions = {}): Promise<Credentials> {
    const key = `${options.includeCatalog ? 'c' : 'n'}${options.allowExpired ? 'e' : 'v'}${token}`;
    const t = this.now();
    const hit = this.cache.get(key);
    if (
      hit &&
      hit.generation === this.revocations.generation &&
      hit.until > t &&
      (options.allowExpired || hit.credentials.expiresAt.getTime() > t)
    )
      return hit.credentials;
    try {
      const v = await this.tokens.validate(token, { allowExpired: options.allowExpired ?? false });
      const credentials = this.renderer.credentials(
        await this.renderer.describe(v, options.includeCatalog ?? false),
      );
      if (this.cache.size >= this.maxEntries) this.cache.clear();
      this.cache.set(key, { credentials, generation: this.revocations.generation, until: t + this.ttlMs });
      return credentials;
    } catch (err) {
      if (err instanceof TokenNotFound)
        throw new UnauthorizedError('The request you have made requires authentication.', {
          code: 'IDENTITY_TOKEN_INVALID',
        });
      throw err;
    }
  }
}
