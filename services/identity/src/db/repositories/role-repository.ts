import { type Database, fromJson, run, toBoolean, toJson } from '@nimbus/db';
import type { Assignment } from '../../manager/assignment/effective-assignments';
import type { ImpliedRole } from '../../manager/assignment/role-inference';

/** How a global role's domain is stored, so the unique (domain, name) key works on every dialect. */
export const GLOBAL_ROLE_DOMAIN = '<<null>>';

/** A role: global (`domainId` null) or domain-specific. */
export interface RoleRecord {
  id: string;
  name: string;
  domainId: string | null;
  description: string;
  options: Record<string, unknown>;
}

type RoleRow = {
  id: string;
  name: string;
  domain_id: string;
  description: string | null;
  options: string | null;
};
const toRole = (r: RoleRow): RoleRecord => ({
  id: r.id,
  name: r.name,
  domainId: r.domain_id === GLOBAL_ROLE_DOMAIN ? null : r.domain_id,
  description: r.description ?? '',
  options: fromJson(r.options, {}),
});

/** Reads and writes roles, implied-role rules and role assignments. */
export class RoleRepository {
  constructor(private readonly db: Database) {}

  async createRole(r: RoleRecord): Promise<RoleRecord> {
    await this.db.transaction((t) =>
      t
        .insertInto('role')
        .values({
          id: r.id,
          name: r.name,
          domain_id: r.domainId ?? GLOBAL_ROLE_DOMAIN,
          description: r.description,
          options: toJson(r.options),
        })
        .execute(),
    );
    return r;
  }

  async getRole(id: string): Promise<RoleRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('role')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as RoleRow | undefined;
    return row && toRole(row);
  }

  /** Roles, optionally of one domain only (`null` for global roles) or by name. */
  async listRoles(f: { domainId?: string | null; name?: string } = {}): Promise<RoleRecord[]> {
    let q = this.db.kysely.selectFrom('role').selectAll();
    if (f.domainId !== undefined) q = q.where('domain_id', '=', f.domainId ?? GLOBAL_ROLE_DOMAIN);
    if (f.name !== undefined) q = q.where('name', '=', f.name);
    return ((await q.orderBy('name').execute()) as RoleRow[]).map(toRole);
  }

  async updateRole(
    id: string,
    changes: Partial<Pick<RoleRecord, 'name' | 'description' | 'options'>>,
  ): Promise<void> {
    const set: Record<string, unknown> = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.description !== undefined) set.description = changes.description;
    if (changes.options !== undefined) set.options = toJson(changes.options);
    if (Object.keys(set).length)
      await this.db.transaction((t) => t.updateTable('role').set(set).where('id', '=', id).execute());
  }

  /** Deletes every assignment of an actor (user or group) or on a target (project or domain). */
  async deleteAssignmentsOf(f: { actorId?: string; targetId?: string }): Promise<void> {
    let q = this.db.kysely.deleteFrom('assignment');
    if (f.actorId !== undefined) q = q.where('actor_id', '=', f.actorId);
    if (f.targetId !== undefined) q = q.where('target_id', '=', f.targetId);
    await q.execute();
  }

  async deleteRole(id: string): Promise<void> {
    await run(() => this.db.kysely.deleteFrom('role').where('id', '=', id).execute());
  }

  async addImpliedRole(rule: ImpliedRole): Promise<void> {
    await this.db.transaction((t) =>
      t
        .insertInto('implied_role')
        .values({ prior_role_id: rule.priorRoleId, implied_role_id: rule.impliedRoleId })
        .execute(),
    );
  }

  async removeImpliedRole(rule: ImpliedRole): Promise<void> {
    await this.db.kysely
      .deleteFrom('implied_role')
      .where('prior_role_id', '=', rule.priorRoleId)
      .where('implied_role_id', '=', rule.impliedRoleId)
      .execute();
  }

  async impliedRoles(): Promise<ImpliedRole[]> {
    const rows = (await this.db.kysely.selectFrom('implied_role').selectAll().execute()) as {
      prior_role_id: string;
      implied_role_id: string;
    }[];
    return rows.map((r) => ({ priorRoleId: r.prior_role_id, impliedRoleId: r.implied_role_id }));
  }

  /** Grants a role; granting the same one twice is a no-op, as Keystone's PUT is. */
  async grant(a: Assignment): Promise<void> {
    const exists = await this.findAssignments({
      type: a.type,
      actorId: a.actorId,
      targetId: a.targetId,
      roleId: a.roleId,
      inherited: a.inherited,
    });
    if (exists.length) return;
    await this.db.transaction((t) =>
      t
        .insertInto('assignment')
        .values({
          type: a.type,
          actor_id: a.actorId,
          target_id: a.targetId,
          role_id: a.roleId,
          inherited: a.inherited,
        })
        .execute(),
    );
  }

  /** Revokes a role; answers whether there was anything to revoke (404 otherwise upstream). */
  async revoke(a: Assignment): Promise<boolean> {
    const res = await this.db.kysely
      .deleteFrom('assignment')
      .where('type', '=', a.type)
      .where('actor_id', '=', a.actorId)
      .where('target_id', '=', a.targetId)
      .where('role_id', '=', a.roleId)
      .where('inherited', '=', a.inherited ? 1 : 0)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  /** Assignments matching every given field; `actorIds` selects a user and their groups at once. */
  async findAssignments(f: Partial<Assignment> & { actorIds?: string[] } = {}): Promise<Assignment[]> {
    let q = this.db.kysely.selectFrom('assignment').selectAll();
    if (f.type !== undefined) q = q.where('type', '=', f.type);
    if (f.actorId !== undefined) q = q.where('actor_id', '=', f.actorId);
    if (f.actorIds !== undefined)
      q = f.actorIds.length ? q.where('actor_id', 'in', f.actorIds) : q.where('actor_id', '=', '');
    if (f.targetId !== undefined) q = q.where('target_id', '=', f.targetId);
    if (f.roleId !== undefined) q = q.where('role_id', '=', f.roleId);
    if (f.inherited !== undefined) q = q.where('inherited', '=', f.inherited ? 1 : 0);
    const rows = (await q.orderBy('actor_id').orderBy('target_id').orderBy('role_id').execute()) as {
      type: Assignment['type'];
      actor_id: string;
      target_id: string;
      role_id: string;
      inherited: unknown;
    }[];
    return rows.map((r) => ({
      type: r.type,
      actorId: r.actor_id,
      targetId: r.target_id,
      roleId: r.role_id,
      inherited: toBoolean(r.inherited),
    }));
  }
}
