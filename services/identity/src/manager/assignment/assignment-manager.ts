import { ForbiddenError, NotFoundError } from '@nimbus/errors';
import type { GroupRepository } from '../../db/repositories/group-repository';
import type { ProjectRecord, ProjectRepository } from '../../db/repositories/project-repository';
import type { RoleRepository } from '../../db/repositories/role-repository';
import type { UserRepository } from '../../db/repositories/user-repository';
import type { IdentityEvents } from '../identity-events';
import { type Assignment, rolesOnDomain, rolesOnProject, rolesOnSystem } from './effective-assignments';
import { expandImpliedRoles } from './role-inference';
import { type RoleManager, roleNotFound } from './role-manager';

/** Who holds a grant. */
export type Actor = { userId: string } | { groupId: string };
/** Where a grant applies. */
export type GrantTarget = { projectId: string } | { domainId: string } | { system: true };

/** One row of `GET /v3/role_assignments`, before rendering. */
export interface AssignmentEntry {
  roleId: string;
  userId?: string;
  groupId?: string;
  scope: GrantTarget;
  inherited: boolean;
  /** The stored grant this entry comes from (differs from the entry in effective lists). */
  source: Assignment;
  /** Set when the entry reached the user through this group. */
  viaGroupId?: string;
  /** Set when the role is implied by this role. */
  priorRoleId?: string;
}

/** Filters of `GET /v3/role_assignments`. */
export interface AssignmentFilter {
  userId?: string;
  groupId?: string;
  roleId?: string;
  projectId?: string;
  domainId?: string;
  system?: boolean;
  inheritedToProjects?: boolean;
  effective?: boolean;
  includeSubtree?: boolean;
}

function typeOf(actor: Actor, target: GrantTarget): Assignment['type'] {
  const who = 'userId' in actor ? 'User' : 'Group';
  const where = 'projectId' in target ? 'Project' : 'domainId' in target ? 'Domain' : 'System';
  return `${who}${where}` as Assignment['type'];
}

const actorIdOf = (a: Actor) => ('userId' in a ? a.userId : a.groupId);
const targetIdOf = (t: GrantTarget) =>
  'projectId' in t ? t.projectId : 'domainId' in t ? t.domainId : 'system';

function scopeOf(a: Assignment): GrantTarget {
  if (a.type.endsWith('Project')) return { projectId: a.targetId };
  if (a.type.endsWith('Domain')) return { domainId: a.targetId };
  return { system: true };
}

/**
 * Role assignments: grants to users and groups on projects, domains and the system (OS-INHERIT
 * grants too), the effective roles a token carries (through groups, inheritance down the project
 * tree and implied roles), and the role-assignment listing with Keystone's effective expansion.
 */
export class AssignmentManager {
  constructor(
    private readonly store: RoleRepository,
    private readonly roles: RoleManager,
    private readonly users: UserRepository,
    private readonly groups: GroupRepository,
    private readonly projects: ProjectRepository,
    private readonly events: IdentityEvents,
  ) {}

  async grant(actor: Actor, target: GrantTarget, roleId: string, inherited = false): Promise<void> {
    await this.validate(actor, target, roleId);
    await this.store.grant({
      type: typeOf(actor, target),
      actorId: actorIdOf(actor),
      targetId: targetIdOf(target),
      roleId,
      inherited,
    });
  }

  async check(actor: Actor, target: GrantTarget, roleId: string, inherited = false): Promise<void> {
    await this.validate(actor, target, roleId);
    const found = await this.store.findAssignments({
      type: typeOf(actor, target),
      actorId: actorIdOf(actor),
      targetId: targetIdOf(target),
      roleId,
      inherited,
    });
    if (!found.length) throw this.notFound(actor, target, roleId);
  }

  async revoke(actor: Actor, target: GrantTarget, roleId: string, inherited = false): Promise<void> {
    await this.validate(actor, target, roleId);
    const removed = await this.store.revoke({
      type: typeOf(actor, target),
      actorId: actorIdOf(actor),
      targetId: targetIdOf(target),
      roleId,
      inherited,
    });
    if (!removed) throw this.notFound(actor, target, roleId);
    const userIds = 'userId' in actor ? [actor.userId] : await this.groups.memberIds(actor.groupId);
    await this.events.assignmentRemoved({
      roleId,
      userIds,
      ...('system' in target ? {} : { targetId: targetIdOf(target) }),
      inherited,
    });
  }

  /** The roles granted directly to the actor on the target (`GET .../roles`). */
  async listGrants(actor: Actor, target: GrantTarget, inherited = false): Promise<string[]> {
    await this.validate(actor, target);
    const rows = await this.store.findAssignments({
      type: typeOf(actor, target),
      actorId: actorIdOf(actor),
      targetId: targetIdOf(target),
      inherited,
    });
    return rows.map((r) => r.roleId);
  }

  /** Role ids the user holds in a scope: direct, through groups, inherited, and implied. */
  async effectiveRoleIds(userId: string, scope: GrantTarget): Promise<string[]> {
    const groupIds = await this.users.groupIds(userId);
    const assignments = await this.store.findAssignments({ actorIds: [userId, ...groupIds] });
    if (!assignments.length) return [];
    let direct: Set<string>;
    if ('projectId' in scope) {
      const project = await this.projects.get(scope.projectId);
      if (!project) return [];
      const parents = (await this.projects.parents(project.id)).filter((p) => !p.isDomain).map((p) => p.id);
      direct = rolesOnProject(
        userId,
        groupIds,
        project.id,
        { domainId: project.domainId, parentIds: parents },
        assignments,
      );
    } else if ('domainId' in scope) {
      direct = rolesOnDomain(userId, groupIds, scope.domainId, assignments);
    } else {
      direct = rolesOnSystem(userId, groupIds, assignments);
    }
    return direct.size
      ? this.roles.withoutDomainRoles(expandImpliedRoles(direct, await this.roles.rules()))
      : [];
  }

  /** Projects where the user holds any role. */
  async projectsForUser(userId: string): Promise<ProjectRecord[]> {
    const ids = new Set<string>();
    for (const e of await this.list({ userId, effective: true }))
      if ('projectId' in e.scope) ids.add(e.scope.projectId);
    const out: ProjectRecord[] = [];
    for (const id of ids) {
      const p = await this.projects.get(id);
      if (p && !p.isDomain) out.push(p);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Domains where the user holds a role on the domain itself. */
  async domainsForUser(userId: string): Promise<ProjectRecord[]> {
    const ids = new Set<string>();
    for (const e of await this.list({ userId, effective: true }))
      if ('domainId' in e.scope) ids.add(e.scope.domainId);
    const out: ProjectRecord[] = [];
    for (const id of ids) {
      const d = await this.projects.get(id);
      if (d?.isDomain) out.push(d);
    }
    return out;
  }

  /** Removes every grant held by a deleted user or group, or on a deleted project or domain. */
  async deleteForActor(actorId: string): Promise<void> {
    await this.store.deleteAssignmentsOf({ actorId });
  }

  async deleteForTarget(targetId: string): Promise<void> {
    await this.store.deleteAssignmentsOf({ targetId });
  }

  /** `GET /v3/role_assignments`: stored grants, or with `effective` what each user really holds. */
  async list(f: AssignmentFilter): Promise<AssignmentEntry[]> {
    let projectIds: Set<string> | undefined;
    if (f.projectId) {
      projectIds = new Set([f.projectId]);
      if (f.includeSubtree) for (const p of await this.projects.subtree(f.projectId)) projectIds.add(p.id);
    }
    const raw = await this.store.findAssignments(f.effective || !f.groupId ? {} : { actorId: f.groupId });
    const entries: AssignmentEntry[] = [];
    if (!f.effective) {
      for (const a of raw)
        entries.push({
          roleId: a.roleId,
          ...(a.type.startsWith('User') ? { userId: a.actorId } : { groupId: a.actorId }),
          scope: scopeOf(a),
          inherited: a.inherited,
          source: a,
        });
    } else {
      const rules = await this.roles.rules();
      for (const a of raw) {
        const users = a.type.startsWith('User')
          ? [{ userId: a.actorId }]
          : (await this.groups.memberIds(a.actorId)).map((userId) => ({ userId, viaGroupId: a.actorId }));
        const scopes: GrantTarget[] = [];
        if (!a.inherited) scopes.push(scopeOf(a));
        else if (a.type.endsWith('Domain'))
          for (const p of await this.projects.list({ domainId: a.targetId, isDomain: false }))
            scopes.push({ projectId: p.id });
        else if (a.type.endsWith('Project'))
          for (const p of await this.projects.subtree(a.targetId)) scopes.push({ projectId: p.id });
        const roleIds = await this.roles.withoutDomainRoles(expandImpliedRoles([a.roleId], rules));
        for (const u of users)
          for (const scope of scopes)
            for (const roleId of roleIds) {
              entries.push({
                roleId,
                userId: u.userId,
                scope,
                inherited: false,
                source: a,
                ...('viaGroupId' in u ? { viaGroupId: u.viaGroupId } : {}),
                ...(roleId !== a.roleId ? { priorRoleId: a.roleId } : {}),
              });
            }
      }
    }
    return entries.filter(
      (e) =>
        (f.userId === undefined || e.userId === f.userId) &&
        (f.groupId === undefined || e.groupId === f.groupId) &&
        (f.roleId === undefined || e.roleId === f.roleId) &&
        (projectIds === undefined || ('projectId' in e.scope && projectIds.has(e.scope.projectId))) &&
        (f.domainId === undefined || ('domainId' in e.scope && e.scope.domainId === f.domainId)) &&
        (!f.system || 'system' in e.scope) &&
        (f.inheritedToProjects === undefined || e.inherited === f.inheritedToProjects),
    );
  }

  /** The domains of a grant's actor, target and role, as grant policies read them. */
  async policyContext(
    actor: Actor,
    target: GrantTarget,
    roleId: string | undefined,
  ): Promise<Record<string, unknown>> {
    const t: Record<string, unknown> = {};
    if ('userId' in actor)
      t.user = { id: actor.userId, domain_id: (await this.users.get(actor.userId))?.domainId };
    else t.group = { id: actor.groupId, domain_id: (await this.groups.get(actor.groupId))?.domainId };
    if ('projectId' in target)
      t.project = { id: target.projectId, domain_id: (await this.projects.get(target.projectId))?.domainId };
    if ('domainId' in target) t.domain = { id: target.domainId };
    if (roleId) t.role = { id: roleId, domain_id: (await this.roles.find(roleId))?.domainId ?? null };
    return t;
  }

  private async validate(actor: Actor, target: GrantTarget, roleId?: string): Promise<void> {
    if (roleId !== undefined && !(await this.roles.find(roleId))) throw roleNotFound(roleId);
    if ('userId' in actor && !(await this.users.get(actor.userId)))
      throw new NotFoundError(`Could not find user: ${actor.userId}.`, { code: 'IDENTITY_USER_NOT_FOUND' });
    if ('groupId' in actor && !(await this.groups.get(actor.groupId)))
      throw new NotFoundError(`Could not find group: ${actor.groupId}.`, {
        code: 'IDENTITY_GROUP_NOT_FOUND',
      });
    let targetDomainId: string | undefined;
    if ('projectId' in target) {
      const p = await this.projects.get(target.projectId);
      if (!p || p.isDomain)
        throw new NotFoundError(`Could not find project: ${target.projectId}.`, {
          code: 'IDENTITY_PROJECT_NOT_FOUND',
        });
      targetDomainId = p.domainId;
    } else if ('domainId' in target) {
      const d = await this.projects.get(target.domainId);
      if (!d?.isDomain)
        throw new NotFoundError(`Could not find domain: ${target.domainId}.`, {
          code: 'IDENTITY_DOMAIN_NOT_FOUND',
        });
      targetDomainId = d.id;
    }
    if (roleId !== undefined) {
      const role = await this.roles.get(roleId);
      if (role.domainId !== null && role.domainId !== targetDomainId) {
        throw new ForbiddenError(
          `Project ${targetIdOf(target)} must be in the same domain as the role ${roleId} being assigned.`,
          { code: 'IDENTITY_ROLE_DOMAIN_MISMATCH' },
        );
      }
    }
  }

  private notFound(actor: Actor, target: GrantTarget, roleId: string): NotFoundError {
    return new NotFoundError(
      `Could not find role assignment with role: ${roleId}, user or group: ${actorIdOf(actor)}, project, domain, or system: ${targetIdOf(target)}.`,
      {
        code: 'IDENTITY_ASSIGNMENT_NOT_FOUND',
      },
    );
  }
}
