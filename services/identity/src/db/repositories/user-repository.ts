import { randomUUID } from 'node:crypto';
import { type Database, fromJson, nowTimestamp, run, toBoolean, toJson } from '@nimbus/db';

/** A local user, as identity stores it (the password hash lives in its own history table). */
export interface UserRecord {
  id: string;
  name: string;
  domainId: string;
  enabled: boolean;
  defaultProjectId: string | null;
  options: Record<string, unknown>;
  extra: Record<string, unknown>;
  createdAt: string;
}

/** One stored password of a user; the newest is the current one. */
export interface PasswordRecord {
  hash: string;
  createdAt: string;
  expiresAt: string | null;
  selfService: boolean;
}

type Row = {
  id: string;
  name: string;
  domain_id: string;
  enabled: unknown;
  default_project_id: string | null;
  options: string | null;
  extra: string | null;
  created_at: string;
};

const toRecord = (r: Row): UserRecord => ({
  id: r.id,
  name: r.name,
  domainId: r.domain_id,
  enabled: toBoolean(r.enabled),
  defaultProjectId: r.default_project_id,
  options: fromJson(r.options, {}),
  extra: fromJson(r.extra, {}),
  createdAt: r.created_at,
});

/** Reads and writes users, their password history, failed-login counters and group membership. */
export class UserRepository {
  constructor(private readonly db: Database) {}

  async create(
    u: Omit<UserRecord, 'createdAt'>,
    password?: Omit<PasswordRecord, 'createdAt'>,
  ): Promise<UserRecord> {
    const createdAt = nowTimestamp();
    await this.db.transaction(async (t) => {
      await t
        .insertInto('user')
        .values({
          id: u.id,
          name: u.name,
          domain_id: u.domainId,
          enabled: u.enabled,
          default_project_id: u.defaultProjectId,
          options: toJson(u.options),
          extra: toJson(u.extra),
          created_at: createdAt,
        })
        .execute();
      if (password) await this.addPassword(u.id, password, t as never);
    });
    return { ...u, createdAt };
  }

  async get(id: string): Promise<UserRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('user')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as Row | undefined;
    return row && toRecord(row);
  }

  async getByName(name: string, domainId: string): Promise<UserRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('user')
      .selectAll()
      .where('name', '=', name)
      .where('domain_id', '=', domainId)
      .executeTakeFirst()) as Row | undefined;
    return row && toRecord(row);
  }

  async list(f: { domainId?: string; name?: string; enabled?: boolean } = {}): Promise<UserRecord[]> {
    let q = this.db.kysely.selectFrom('user').selectAll();
    if (f.domainId !== undefined) q = q.where('domain_id', '=', f.domainId);
    if (f.name !== undefined) q = q.where('name', '=', f.name);
    if (f.enabled !== undefined) q = q.where('enabled', '=', f.enabled ? 1 : 0);
    return ((await q.orderBy('id').execute()) as Row[]).map(toRecord);
  }

  async update(
    id: string,
    changes: Partial<Pick<UserRecord, 'name' | 'enabled' | 'defaultProjectId' | 'options' | 'extra'>>,
  ): Promise<void> {
    const set: Record<string, unknown> = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.enabled !== undefined) set.enabled = changes.enabled;
    if (changes.defaultProjectId !== undefined) set.default_project_id = changes.defaultProjectId;
    if (changes.options !== undefined) set.options = toJson(changes.options);
    if (changes.extra !== undefined) set.extra = toJson(changes.extra);
    if (Object.keys(set).length)
      await this.db.transaction((t) => t.updateTable('user').set(set).where('id', '=', id).execute());
  }

  async delete(id: string): Promise<void> {
    await run(() => this.db.kysely.deleteFrom('user').where('id', '=', id).execute());
  }

  /** Stores a new current password; older ones stay as history for unique-last-N checks. */
  async addPassword(
    userId: string,
    p: Omit<PasswordRecord, 'createdAt'>,
    trx = this.db.kysely,
  ): Promise<void> {
    await trx
      .insertInto('password')
      .values({
        id: randomUUID(),
        user_id: userId,
        hash: p.hash,
        created_at: nowTimestamp(),
        expires_at: p.expiresAt,
        self_service: p.selfService,
      })
      .execute();
  }

  /** Passwords newest first (the first is the current one). */
  async passwords(userId: string): Promise<PasswordRecord[]> {
    const rows = (await this.db.kysely
      .selectFrom('password')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute()) as {
      hash: string;
      created_at: string;
      expires_at: string | null;
      self_service: unknown;
    }[];
    return rows.map((r) => ({
      hash: r.hash,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      selfService: toBoolean(r.self_service),
    }));
  }

  /** Records a failed login; returns the new count. */
  async recordFailure(userId: string): Promise<number> {
    return this.db.transaction(async (t) => {
      const row = (await t
        .selectFrom('login_failure')
        .select('count')
        .where('user_id', '=', userId)
        .executeTakeFirst()) as { count: number } | undefined;
      const count = (row?.count ?? 0) + 1;
      if (row)
        await t
          .updateTable('login_failure')
          .set({ count, last_failure_at: nowTimestamp() })
          .where('user_id', '=', userId)
          .execute();
      else
        await t
          .insertInto('login_failure')
          .values({ user_id: userId, count, last_failure_at: nowTimestamp() })
          .execute();
      return count;
    });
  }

  async failures(userId: string): Promise<{ count: number; lastFailureAt: string } | undefined> {
    const row = (await this.db.kysely
      .selectFrom('login_failure')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst()) as { count: number; last_failure_at: string } | undefined;
    return row && { count: Number(row.count), lastFailureAt: row.last_failure_at };
  }

  async clearFailures(userId: string): Promise<void> {
    await this.db.kysely.deleteFrom('login_failure').where('user_id', '=', userId).execute();
  }

  async addToGroup(userId: string, groupId: string): Promise<void> {
    await this.db.transaction((t) =>
      t.insertInto('group_membership').values({ user_id: userId, group_id: groupId }).execute(),
    );
  }

  async removeFromGroup(userId: string, groupId: string): Promise<void> {
    await this.db.kysely
      .deleteFrom('group_membership')
      .where('user_id', '=', userId)
      .where('group_id', '=', groupId)
      .execute();
  }

  async groupIds(userId: string): Promise<string[]> {
    const rows = (await this.db.kysely
      .selectFrom('group_membership')
      .select('group_id')
      .where('user_id', '=', userId)
      .orderBy('group_id')
      .execute()) as { group_id: string }[];
    return rows.map((r) => r.group_id);
  }
}
