import { randomInt, randomUUID } from 'node:crypto';
import { ForbiddenError, NotFoundError } from '@nimbus/errors';
import type { AccessTokenRecord, ConsumerRecord, OAuth1Repository } from '../../db/ext/oauth1-repository';
import { type Caller, isDelegated } from './caller';
import type { ExtensionCoreAccess } from './core-access';
import { ExpectingAttribute, ExtUnauthorized, PlainNotFound } from './ext-errors';
import { storedToMs, toStored } from './iso-time';
import { verifyOAuthRequest } from './oauth1-signature';
import { resolveRoles } from './resolve-roles';

/** A signed OAuth1 request: method, the URL the client signed, and its oauth_* parameters. */
export interface SignedOAuthRequest {
  method: string;
  uri: string;
  params: Record<string, string>;
}

/** What an authorized access token lets its consumer act as: the `oauth1` auth method's result. */
export interface OAuth1Identity {
  accessTokenId: string;
  consumerId: string;
  /** The user who authorized it; tokens are issued to them. */
  userId: string;
  /** The project the tokens are scoped to. */
  projectId: string;
  /**
   * The roles the tokens carry now: the authorized roles and the roles they imply, less any the
   * user no longer holds on the project (as Keystone's token model).
   */
  roleIds: string[];
}

/** Token lifetimes of `[oauth1]`, in seconds (0 means no expiry). */
export interface OAuth1Options {
  requestTokenDurationSeconds: number;
  accessTokenDurationSeconds: number;
  now?: () => number;
}

const VERIFIER_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const hex = () => randomUUID().replaceAll('-', '');
const consumerNotFound = () => new PlainNotFound('Consumer not found', 'IDENTITY_CONSUMER_NOT_FOUND');

/**
 * OS-OAUTH1: consumers, and the three-legged flow — a consumer gets a request token for a project
 * (signed with its secret), a user authorizes it for some of their roles, and the consumer trades
 * it (signed again, with the verifier) for an access token. Deleting a consumer or an access token
 * revokes the Keystone tokens obtained with it.
 */
export class OAuth1Manager {
  constructor(
    private readonly repo: OAuth1Repository,
    private readonly core: ExtensionCoreAccess,
    private readonly options: OAuth1Options = {
      requestTokenDurationSeconds: 28800,
      accessTokenDurationSeconds: 86400,
    },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private expiry(seconds: number): string | null {
    return seconds > 0 ? toStored(new Date(this.now() + seconds * 1000)) : null;
  }

  async createConsumer(input: {
    description?: string | null;
    extra?: Record<string, unknown>;
  }): Promise<ConsumerRecord> {
    const c: ConsumerRecord = {
      id: hex(),
      description: input.description ?? null,
      secret: hex(),
      extra: input.extra ?? {},
    };
    await this.repo.createConsumer(c);
    return c;
  }

  async getConsumer(id: string): Promise<ConsumerRecord> {
    const c = await this.repo.getConsumer(id);
    if (!c) throw consumerNotFound();
    return c;
  }

  listConsumers(): Promise<ConsumerRecord[]> {
    return this.repo.listConsumers();
  }

  async updateConsumer(
    id: string,
    c: { description?: string | null; extra?: Record<string, unknown> },
  ): Promise<ConsumerRecord> {
    const cur = await this.getConsumer(id);
    const next = {
      ...cur,
      description: c.description !== undefined ? c.description : cur.description,
      extra: { ...cur.extra, ...c.extra },
    };
    await this.repo.updateConsumer(next);
    return next;
  }

  async deleteConsumer(id: string): Promise<void> {
    if (!(await this.repo.deleteConsumer(id))) throw consumerNotFound();
    await this.core.revoke({ consumerId: id });
  }

  /** First leg: a consumer asks for a request token on a project. */
  async createRequestToken(
    req: SignedOAuthRequest,
    requestedProjectId: string | undefined,
  ): Promise<{ id: string; secret: string; expiresAt: string | null }> {
    const consumerId = req.params.oauth_consumer_key;
    if (!consumerId) throw new ExpectingAttribute('oauth_consumer_key', 'request');
    if (!requestedProjectId) throw new ExpectingAttribute('Requested-Project-Id', 'request');
    if (!(await this.core.getProject(requestedProjectId)))
      throw new PlainNotFound(`Could not find project: ${requestedProjectId}.`, 'IDENTITY_PROJECT_NOT_FOUND');
    const consumer = await this.getConsumer(consumerId);
    if (!verifyOAuthRequest({ ...req, consumerSecret: consumer.secret }, this.now() / 1000))
      throw new ExtUnauthorized('IDENTITY_OAUTH_SIGNATURE');
    const token = {
      id: hex(),
      requestSecret: hex(),
      verifier: null,
      authorizingUserId: null,
      requestedProjectId,
      roleIds: null,
      consumerId,
      expiresAt: this.expiry(this.options.requestTokenDurationSeconds),
    };
    await this.repo.createRequestToken(token);
    return { id: token.id, secret: token.requestSecret, expiresAt: token.expiresAt };
  }

  /** Second leg: the user authorizes a request token for roles they hold on its project. */
  async authorizeRequestToken(
    requestTokenId: string,
    roles: { id?: string; name?: string }[],
    caller: Caller,
  ): Promise<string> {
    if (isDelegated(caller))
      throw new ForbiddenError('Cannot authorize a request token with a token issued via delegation.', {
        code: 'IDENTITY_OAUTH_DELEGATED',
      });
    const token = await this.repo.getRequestToken(requestTokenId);
    if (!token)
      throw new NotFoundError('Request token not found', { code: 'IDENTITY_REQUEST_TOKEN_NOT_FOUND' });
    if (token.expiresAt && storedToMs(token.expiresAt) < this.now())
      throw new ExtUnauthorized('IDENTITY_REQUEST_TOKEN_EXPIRED');
    const wanted = (await resolveRoles(this.core, roles)).map((r) => r.id);
    const held = new Set(await this.core.effectiveRoleIds(caller.userId, token.requestedProjectId));
    if (!wanted.every((r) => held.has(r))) throw new ExtUnauthorized('IDENTITY_OAUTH_ROLE');
    const verifier = Array.from({ length: 8 }, () => VERIFIER_CHARS[randomInt(VERIFIER_CHARS.length)]).join(
      '',
    );
    await this.repo.authorizeRequestToken(requestTokenId, caller.userId, wanted, verifier);
    return verifier;
  }

  /** Third leg: the consumer trades the authorized request token for an access token. */
  async createAccessToken(
    req: SignedOAuthRequest,
  ): Promise<{ id: string; secret: string; expiresAt: string | null }> {
    const p = req.params;
    if (!p.oauth_consumer_key) throw new ExpectingAttribute('oauth_consumer_key', 'request');
    if (!p.oauth_token) throw new ExpectingAttribute('oauth_token', 'request');
    if (!p.oauth_verifier) throw new ExpectingAttribute('oauth_verifier', 'request');
    const token = await this.repo.getRequestToken(p.oauth_token);
    if (!token)
      throw new NotFoundError('Request token not found', { code: 'IDENTITY_REQUEST_TOKEN_NOT_FOUND' });
    const fail = () => new ExtUnauthorized('IDENTITY_OAUTH_ACCESS');
    if (token.expiresAt && storedToMs(token.expiresAt) < this.now()) throw fail();
    const consumer = await this.repo.getConsumer(p.oauth_consumer_key);
    if (!consumer || token.consumerId !== consumer.id) throw fail();
    if (token.verifier !== p.oauth_verifier) throw fail();
    if (
      !verifyOAuthRequest(
        { ...req, consumerSecret: consumer.secret, tokenSecret: token.requestSecret },
        this.now() / 1000,
      )
    )
      throw fail();
    if (!token.authorizingUserId || !token.roleIds) throw fail();
    const access: AccessTokenRecord = {
      id: hex(),
      accessSecret: hex(),
      authorizingUserId: token.authorizingUserId,
      projectId: token.requestedProjectId,
      roleIds: token.roleIds,
      consumerId: consumer.id,
      expiresAt: this.expiry(this.options.accessTokenDurationSeconds),
    };
    if (!(await this.repo.exchange(token.id, access))) throw fail();
    return { id: access.id, secret: access.accessSecret, expiresAt: access.expiresAt };
  }

  async getAccessToken(userId: string, id: string): Promise<AccessTokenRecord> {
    const a = await this.repo.getAccessToken(id);
    if (!a || a.authorizingUserId !== userId)
      throw new NotFoundError('Could not find access token.', { code: 'IDENTITY_ACCESS_TOKEN_NOT_FOUND' });
    return a;
  }

  async listAccessTokens(userId: string, caller: Caller): Promise<AccessTokenRecord[]> {
    if (isDelegated(caller))
      throw new ForbiddenError('Cannot list request tokens with a token issued via delegation.', {
        code: 'IDENTITY_OAUTH_DELEGATED',
      });
    return this.repo.listAccessTokens(userId);
  }

  /** Deletes an access token and revokes the tokens obtained with it. */
  async deleteAccessToken(userId: string, id: string): Promise<void> {
    await this.getAccessToken(userId, id);
    await this.repo.deleteAccessToken(id);
    await this.core.revoke({ accessTokenId: id });
  }

  /**
   * The `oauth1` auth method: a request signed with a consumer's secret and an access token's
   * secret (its `oauth_token`) authenticates as the user who authorized that token, on its project.
   * 400 without `oauth_token`, 404 for an unknown access token, 401 for an expired one, a consumer
   * that is not the token's, or a signature that does not verify.
   */
  async authenticate(req: SignedOAuthRequest): Promise<OAuth1Identity> {
    const p = req.params;
    if (!p.oauth_token) throw new ExpectingAttribute('oauth_token', 'request');
    const a = await this.repo.getAccessToken(p.oauth_token);
    if (!a) throw new PlainNotFound('Access token not found', 'IDENTITY_ACCESS_TOKEN_NOT_FOUND');
    if (a.expiresAt && storedToMs(a.expiresAt) < this.now())
      throw new ExtUnauthorized('IDENTITY_ACCESS_TOKEN_EXPIRED');
    const consumer = await this.repo.getConsumer(a.consumerId);
    const signed =
      consumer !== undefined &&
      p.oauth_consumer_key === consumer.id &&
      verifyOAuthRequest(
        { ...req, consumerSecret: consumer.secret, tokenSecret: a.accessSecret },
        this.now() / 1000,
      );
    if (!signed) throw new ExtUnauthorized('IDENTITY_OAUTH_SIGNATURE');
    return this.identityOf(a);
  }

  /**
   * The access token as a token validation sees it now, or undefined once it is deleted (its
   * Keystone tokens then stop validating). Expiry ends the exchange only, as upstream: tokens
   * already issued live out their own lifetime.
   */
  async identity(accessTokenId: string): Promise<OAuth1Identity | undefined> {
    const a = await this.repo.getAccessToken(accessTokenId);
    return a ? this.identityOf(a) : undefined;
  }

  private async identityOf(a: AccessTokenRecord): Promise<OAuth1Identity> {
    const authorized = await this.core.expandImpliedRoles(a.roleIds);
    const held = new Set(await this.core.effectiveRoleIds(a.authorizingUserId, a.projectId));
    return {
      accessTokenId: a.id,
      consumerId: a.consumerId,
      userId: a.authorizingUserId,
      projectId: a.projectId,
      roleIds: authorized.filter((r) => held.has(r)),
    };
  }
}
