import { type Database, nowTimestamp, run, toBoolean } from '@nimbus/db';

/** An access rule: one API call an application credential may make. */
export interface AccessRuleRecord {
  id: string;
  userId: string;
  service: string;
  path: string;
  method: string;
}

/** An application credential as stored (the secret only as a hash). */
export interface ApplicationCredentialRecord {
  id: string;
  name: string;
  secretHash: string;
  description: string | null;
  userId: string;
  projectId: string | null;
  system: string | null;
  /** Stored time form, or null for no expiry. */
  expiresAt: string | null;
  unrestricted: boolean;
  roleIds: string[];
  accessRules: AccessRuleRecord[];
}

type Row = {
  id: string;
  name: string;
  secret_hash: string;
  description: string | null;
  user_id: string;
  project_id: string | null;
  system: string | null;
  expires_at: string | null;
  unrestricted: unknown;
};
type RuleRow = { id: string; user_id: string; service: string; path: string; method: string };
const toRule = (r: RuleRow): AccessRuleRecord => ({
  id: r.id,
  userId: r.user_id,
  service: r.service,
  path: r.path,
  method: r.method,
});

/** Reads and writes application credentials, their roles, and users' access rules. */
export class ApplicationCredentialRepository {
  constructor(private readonly db: Database) {}

  /**
   * Stores a credential with its roles and access rules in one transaction. Rules equal to one the
   * user already has (same service, path and method) reuse it, as Keystone does.
   */
  async create(
    a: Omit<ApplicationCredentialRecord, 'accessRules'> & { accessRules: Omit<AccessRuleRecord, 'userId'>[] },
  ): Promise<ApplicationCredentialRecord> {
    return this.db.transaction(async (t) => {
      await t
        .insertInto('application_credential')
        .values({
          id: a.id,
          name: a.name,
          secret_hash: a.secretHash,
          description: a.description,
          user_id: a.userId,
          project_id: a.projectId,
          system: a.system,
          expires_at: a.expiresAt,
          unrestricted: a.unrestricted,
          created_at: nowTimestamp(),
        })
        .execute();
      for (const roleId of new Set(a.roleIds))
        await t
          .insertInto('application_credential_role')
          .values({ application_credential_id: a.id, role_id: roleId })
          .execute();
      const rules: AccessRuleRecord[] = [];
      for (const rule of a.accessRules) {
        const existing = (await t
          .selectFrom('access_rule')
          .selectAll()
          .where('user_id', '=', a.userId)
          .where('service', '=', rule.service)
          .where('path', '=', rule.path)
          .where('method', '=', rule.method)
          .executeTakeFirst()) as RuleRow | undefined;
        const stored = existing ? toRule(existing) : { ...rule, userId: a.userId };
        if (!existing)
          await t
            .insertInto('access_rule')
            .values({
              id: stored.id,
              user_id: a.userId,
              service: rule.service,
              path: rule.path,
              method: rule.method,
            })
            .execute();
        if (!rules.some((r) => r.id === stored.id)) {
          await t
            .insertInto('application_credential_access_rule')
            .values({ application_credential_id: a.id, access_rule_id: stored.id })
            .execute();
          rules.push(stored);
        }
      }
      return { ...a, roleIds: [...new Set(a.roleIds)], accessRules: rules };
    });
  }

  async get(id: string): Promise<ApplicationCredentialRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('application_credential')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as Row | undefined;
    return row && (await this.hydrate([row]))[0];
  }

  async getByName(userId: string, name: string): Promise<ApplicationCredentialRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('application_credential')
      .selectAll()
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .executeTakeFirst()) as Row | undefined;
    return row && (await this.hydrate([row]))[0];
  }

  async list(f: {
    userId?: string;
    name?: string;
    projectId?: string;
  }): Promise<ApplicationCredentialRecord[]> {
    let q = this.db.kysely.selectFrom('application_credential').selectAll();
    if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
    if (f.name !== undefined) q = q.where('name', '=', f.name);
    if (f.projectId !== undefined) q = q.where('project_id', '=', f.projectId);
    return this.hydrate((await q.orderBy('created_at').orderBy('id').execute()) as Row[]);
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction(async (t) => {
      await t.deleteFrom('application_credential_role').where('application_credential_id', '=', id).execute();
      await t
        .deleteFrom('application_credential_access_rule')
        .where('application_credential_id', '=', id)
        .execute();
      const r = await t.deleteFrom('application_credential').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  async listAccessRules(f: {
    userId: string;
    service?: string;
    path?: string;
    method?: string;
  }): Promise<AccessRuleRecord[]> {
    let q = this.db.kysely.selectFrom('access_rule').selectAll().where('user_id', '=', f.userId);
    if (f.service !== undefined) q = q.where('service', '=', f.service);
    if (f.path !== undefined) q = q.where('path', '=', f.path);
    if (f.method !== undefined) q = q.where('method', '=', f.method);
    return ((await q.orderBy('id').execute()) as RuleRow[]).map(toRule);
  }

  async getAccessRule(id: string): Promise<AccessRuleRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('access_rule')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as RuleRow | undefined;
    return row && toRule(row);
  }

  /** True when an application credential still uses the rule. */
  async accessRuleInUse(id: string): Promise<boolean> {
    const row = await this.db.kysely
      .selectFrom('application_credential_access_rule')
      .select('access_rule_id')
      .where('access_rule_id', '=', id)
      .executeTakeFirst();
    return row !== undefined;
  }

  async deleteAccessRule(id: string): Promise<void> {
    await run(() => this.db.kysely.deleteFrom('access_rule').where('id', '=', id).execute());
  }

  /** Removes a user's access rules that no credential uses any more (user deleted). */
  async deleteAccessRulesOfUser(userId: string): Promise<void> {
    const rules = await this.listAccessRules({ userId });
    for (const r of rules) if (!(await this.accessRuleInUse(r.id))) await this.deleteAccessRule(r.id);
  }

  private async hydrate(rows: Row[]): Promise<ApplicationCredentialRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const roles = (await this.db.kysely
      .selectFrom('application_credential_role')
      .selectAll()
      .where('application_credential_id', 'in', ids)
      .execute()) as {
      application_credential_id: string;
      role_id: string;
    }[];
    const rules = (await this.db.kysely
      .selectFrom('application_credential_access_rule as l')
      .innerJoin('access_rule as r', 'r.id', 'l.access_rule_id')
      .select(['l.application_credential_id', 'r.id', 'r.user_id', 'r.service', 'r.path', 'r.method'])
      .where('l.application_credential_id', 'in', ids)
      .execute()) as (RuleRow & { application_credential_id: string })[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      secretHash: r.secret_hash,
      description: r.description,
      userId: r.user_id,
      projectId: r.project_id,
      system: r.system,
      expiresAt: r.expires_at,
      unrestricted: toBoolean(r.unrestricted),
      roleIds: roles.filter((x) => x.application_credential_id === r.id).map((x) => x.role_id),
      accessRules: rules.filter((x) => x.application_credential_id === r.id).map(toRule),
    }));
  }
}
