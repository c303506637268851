import { NotFoundError } from '@nimbus/errors';
import type { RevocationIndex } from '../revocation/revocation-index';
import { newAuditId, type TokenFormatter, UnreadableToken } from '../../token/token-formatter';
import type { TokenPayload } from '../../token/token-payload';

/** What validation needs to read about the token's subjects (the managers implement it). */
export interface TokenSubjects {
  /** The user, or undefined when deleted. */
  user(
    id: string,
  ): Promise<{ id: string; enabled: boolean; domainId: string; domainEnabled: boolean } | undefined>;
  /** The project, or undefined when deleted. */
  project(
    id: string,
  ): Promise<{ id: string; enabled: boolean; domainId: string; domainEnabled: boolean } | undefined>;
  /** The domain, or undefined when deleted. */
  domain(id: string): Promise<{ id: string; enabled: boolean } | undefined>;
  /** Role ids the user holds in the token's scope (implied roles included); empty means none. */
  roleIds(payload: TokenPayload): Promise<string[]>;
}

/** A token that does not exist for the caller: unreadable, expired, revoked or unscoped by now (Keystone's TokenNotFound). */
export class TokenNotFound extends NotFoundError {
  constructor(message = 'Could not recognize Fernet token') {
    super(message, { code: 'IDENTITY_TOKEN_NOT_FOUND' });
  }
}

/** A validated token: its payload, times, and the roles it carries now. */
export interface ValidatedToken {
  token: string;
  payload: TokenPayload;
  issuedAt: number;
  roleIds: string[];
}

/** Token lifetimes and clock. */
export interface TokenProviderOptions {
  expirationSeconds: number;
  /** How long after expiry `allow_expired` still accepts a token (Keystone's allow_expired_window). */
  allowExpiredWindowSeconds: number;
  now?: () => number;
}

/**
 * Issues and validates Fernet tokens: format, expiry, revocation events, and that the user,
 * project and domain still exist, are enabled, and that the user still holds a role in scope.
 * Every failure is TokenNotFound, so nothing tells a caller why a token stopped working.
 */
export class TokenProvider {
  private readonly now: () => number;

  constructor(
    private readonly formatter: TokenFormatter,
    private readonly revocations: RevocationIndex,
    private readonly subjects: TokenSubjects,
    private readonly options: TokenProviderOptions,
  ) {
    this.now = options.now ?? (() => Date.now() / 1000);
  }

  /**
   * Issues a token. `parentAuditIds` continues an audit chain when a token is rescoped with the
   * `token` method; `expiresAt` may only shorten the lifetime (rescoped tokens keep the parent's).
   */
  issue(
    p: Omit<TokenPayload, 'expiresAt' | 'auditIds'> & { expiresAt?: number; parentAuditIds?: string[] },
  ): { token: string; payload: TokenPayload } {
    const { parentAuditIds, ...rest } = p;
    const maxExpiry = this.now() + this.options.expirationSeconds;
    const payload: TokenPayload = {
      ...rest,
      expiresAt: Math.min(p.expiresAt ?? maxExpiry, maxExpiry),
      auditIds: [
        newAuditId(),
        ...(parentAuditIds?.length ? [parentAuditIds[parentAuditIds.length - 1]!] : []),
      ],
    };
    return { token: this.formatter.create(payload), payload };
  }

  /**
   * A token just issued, as validation would describe it, without the revocation check: a token
   * minted in the same second as a revocation event is still answered (as Keystone does at issue).
   */
  async described(issued: { token: string; payload: TokenPayload }): Promise<ValidatedToken> {
    const p = issued.payload;
    const roleIds = p.projectId || p.domainId || p.system ? await this.subjects.roleIds(p) : [];
    return { token: issued.token, payload: p, issuedAt: Math.floor(this.now()), roleIds };
  }

  async validate(token: string, opts: { allowExpired?: boolean } = {}): Promise<ValidatedToken> {
    let read: ReturnType<TokenFormatter['read']>;
    try {
      read = this.formatter.read(token);
    } catch (err) {
      if (err instanceof UnreadableToken) throw new TokenNotFound();
      throw err;
    }
    const { payload, issuedAt } = read;
    const now = this.now();
    const window = opts.allowExpired ? this.options.allowExpiredWindowSeconds : 0;
    if (payload.expiresAt + window <= now) throw new TokenNotFound('The token has expired.');
    const user = await this.subjects.user(payload.userId);
    if (!user?.enabled || !user.domainEnabled) throw new TokenNotFound();
    if (payload.projectId) {
      const project = await this.subjects.project(payload.projectId);
      if (!project?.enabled || !project.domainEnabled) throw new TokenNotFound();
    }
    if (payload.domainId) {
      const domain = await this.subjects.domain(payload.domainId);
      if (!domain?.enabled) throw new TokenNotFound();
    }
    const roleIds =
      payload.projectId || payload.domainId || payload.system ? await this.subjects.roleIds(payload) : [];
    if ((payload.projectId || payload.domainId || payload.system) && roleIds.length === 0)
      throw new TokenNotFound();
    const revoked = this.revocations.isRevoked({
      userId: payload.userId,
      projectId: payload.projectId,
      domainIds: [user.domainId, ...(payload.domainId ? [payload.domainId] : [])],
      roleIds,
      trustId: payload.trustId,
      accessTokenId: payload.accessTokenId,
      applicationCredentialId: payload.applicationCredentialId,
      auditIds: payload.auditIds,
      issuedAt,
    });
    if (revoked) throw new TokenNotFound();
    return { token, payload, issuedAt, roleIds };
  }
}
