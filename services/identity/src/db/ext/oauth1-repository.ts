import { type Database, fromJson, run, toJson } from '@nimbus/db';

/** An OAuth1 consumer; the secret is kept as is, since HMAC signatures are checked with it. */
export interface ConsumerRecord {
  id: string;
  description: string | null;
  secret: string;
  extra: Record<string, unknown>;
}

/** A request token, authorized later by a user for some roles. */
export interface RequestTokenRecord {
  id: string;
  requestSecret: string;
  verifier: string | null;
  authorizingUserId: string | null;
  requestedProjectId: string;
  roleIds: string[] | null;
  consumerId: string;
  expiresAt: string | null;
}

/** An access token a consumer exchanges for Keystone tokens. */
export interface AccessTokenRecord {
  id: string;
  accessSecret: string;
  authorizingUserId: string;
  projectId: string;
  roleIds: string[];
  consumerId: string;
  expiresAt: string | null;
}

type ReqRow = {
  id: string;
  request_secret: string;
  verifier: string | null;
  authorizing_user_id: string | null;
  requested_project_id: string;
  role_ids: string | null;
  consumer_id: string;
  expires_at: string | null;
};
type AccRow = {
  id: string;
  access_secret: string;
  authorizing_user_id: string;
  project_id: string;
  role_ids: string;
  consumer_id: string;
  expires_at: string | null;
};

const toReq = (r: ReqRow): RequestTokenRecord => ({
  id: r.id,
  requestSecret: r.request_secret,
  verifier: r.verifier,
  authorizingUserId: r.authorizing_user_id,
  requestedProjectId: r.requested_project_id,
  roleIds: r.role_ids ? fromJson<string[]>(r.role_ids, []) : null,
  consumerId: r.consumer_id,
  expiresAt: r.expires_at,
});
const toAcc = (r: AccRow): AccessTokenRecord => ({
  id: r.id,
  accessSecret: r.access_secret,
  authorizingUserId: r.authorizing_user_id,
  projectId: r.project_id,
  roleIds: fromJson<string[]>(r.role_ids, []),
  consumerId: r.consumer_id,
  expiresAt: r.expires_at,
});

/** Reads and writes OAuth1 consumers, request tokens and access tokens. */
export class OAuth1Repository {
  constructor(private readonly db: Database) {}

  async createConsumer(c: ConsumerRecord): Promise<void> {
    await this.db.transaction((t) =>
      t
        .insertInto('oauth1_consumer')
        .values({ id: c.id, description: c.description, secret: c.secret, extra: toJson(c.extra) })
        .execute(),
    );
  }

  async getConsumer(id: string): Promise<ConsumerRecord | undefined> {
    const r = (await this.db.kysely
      .selectFrom('oauth1_consumer')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as
      | { id: string; description: string | null; secret: string; extra: string | null }
      | undefined;
    return r && { id: r.id, description: r.description, secret: r.secret, extra: fromJson(r.extra, {}) };
  }

  async listConsumers(): Promise<ConsumerRecord[]> {
    const rows = (await this.db.kysely.selectFrom('oauth1_consumer').selectAll().orderBy('id').execute()) as {
      id: string;
      description: string | null;
      secret: string;
      extra: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      description: r.description,
      secret: r.secret,
      extra: fromJson(r.extra, {}),
    }));
  }

  async updateConsumer(c: ConsumerRecord): Promise<void> {
    await this.db.transaction((t) =>
      t
        .updateTable('oauth1_consumer')
        .set({ description: c.description, extra: toJson(c.extra) })
        .where('id', '=', c.id)
        .execute(),
    );
  }

  async deleteConsumer(id: string): Promise<boolean> {
    return this.db.transaction(async (t) => {
      await t.deleteFrom('oauth1_request_token').where('consumer_id', '=', id).execute();
      await t.deleteFrom('oauth1_access_token').where('consumer_id', '=', id).execute();
      const r = await t.deleteFrom('oauth1_consumer').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  async createRequestToken(r: RequestTokenRecord): Promise<void> {
    await this.db.transaction((t) =>
      t
        .insertInto('oauth1_request_token')
        .values({
          id: r.id,
          request_secret: r.requestSecret,
          verifier: r.verifier,
          authorizing_user_id: r.authorizingUserId,
          requested_project_id: r.requestedProjectId,
          role_ids: r.roleIds ? toJson(r.roleIds) : null,
          consumer_id: r.consumerId,
          expires_at: r.expiresAt,
        })
        .execute(),
    );
  }

  async getRequestToken(id: string): Promise<RequestTokenRecord | undefined> {
    const r = (await this.db.kysely
      .selectFrom('oauth1_request_token')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as ReqRow | undefined;
    return r && toReq(r);
  }

  async authorizeRequestToken(
    id: string,
    userId: string,
    roleIds: string[],
    verifier: string,
  ): Promise<void> {
    await this.db.transaction((t) =>
      t
        .updateTable('oauth1_request_token')
        .set({ authorizing_user_id: userId, role_ids: toJson(roleIds), verifier })
        .where('id', '=', id)
        .execute(),
    );
  }

  /** Replaces a request token with the access token made from it, atomically. */
  async exchange(requestTokenId: string, a: AccessTokenRecord): Promise<boolean> {
    return this.db.transaction(async (t) => {
      const r = await t
        .deleteFrom('oauth1_request_token')
        .where('id', '=', requestTokenId)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) !== 1) return false;
      await t
        .insertInto('oauth1_access_token')
        .values({
          id: a.id,
          access_secret: a.accessSecret,
          authorizing_user_id: a.authorizingUserId,
          project_id: a.projectId,
          role_ids: toJson(a.roleIds),
          consumer_id: a.consumerId,
          expires_at: a.expiresAt,
        })
        .execute();
      return true;
    });
  }

  async getAccessToken(id: string): Promise<AccessTokenRecord | undefined> {
    const r = (await this.db.kysely
      .selectFrom('oauth1_access_token')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as AccRow | undefined;
    return r && toAcc(r);
  }

  async listAccessTokens(userId: string): Promise<AccessTokenRecord[]> {
    return (
      (await this.db.kysely
        .selectFrom('oauth1_access_token')
        .selectAll()
        .where('authorizing_user_id', '=', userId)
        .orderBy('id')
        .execute()) as AccRow[]
    ).map(toAcc);
  }

  async deleteAccessToken(id: string): Promise<boolean> {
    const r = await run(() =>
      this.db.kysely.deleteFrom('oauth1_access_token').where('id', '=', id).executeTakeFirst(),
    );
    return Number(r.numDeletedRows) > 0;
  }
}
