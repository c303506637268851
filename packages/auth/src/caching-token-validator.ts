import type { Credentials } from './credentials';
import type { TokenValidator, ValidateOptions } from './token-validator';

/** Tuning of the validation cache. */
export interface CacheOptions {
  /** How long a positive answer is reused; revocations are honoured within this time. */
  ttlSeconds: number;
  /** Most entries kept; the oldest go first. */
  maxEntries: number;
  now?: () => number;
}

/**
 * Wraps a remote validator with a short positive cache, as keystonemiddleware's token cache does.
 * Only successful validations are cached, never failures, and never past the token's expiry.
 */
export class CachingTokenValidator implements TokenValidator {
  private readonly cache = new Map<string, { creds: Credentials; until: number }>();
  private readonly now: () => number;

  constructor(
    private readonly inner: TokenValidator,
    private readonly options: CacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async validate(token: string, options?: ValidateOptions): Promise<Credentials> {
    if (options?.allowExpired || options?.includeCatalog) return this.inner.validate(token, options);
    const hit = this.cache.get(token);
    const now = this.now();
    if (hit && hit.until > now) return hit.creds;
    if (hit) this.cache.delete(token);
    const creds = await this.inner.validate(token, options);
    if (this.cache.size >= this.options.maxEntries) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(token, { creds, until: Math.min(now + this.options.ttlSeconds * 1000, creds.expiresAt.getTime()) });
    return creds;
  }
}
