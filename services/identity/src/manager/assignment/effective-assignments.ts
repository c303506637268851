/** A stored role assignment (Keystone's assignment table). */
export interface Assignment {
  type: 'UserProject' | 'GroupProject' | 'UserDomain' | 'GroupDomain' | 'UserSystem' | 'GroupSystem';
  actorId: string;
  targetId: string;
  roleId: string;
  /** OS-INHERIT: applies to the target's subtree (or the domain's projects), not to the target itself. */
  inherited: boolean;
}

/** One effective grant of a role to a user on a project or domain, with where it came from. */
export interface EffectiveAssignment {
  userId: string;
  roleId: string;
  scope: { projectId: string } | { domainId: string } | { system: 'all' };
  /** Set when the grant came through a group. */
  groupId?: string;
  /** Set when the grant was inherited from a domain or parent project. */
  inheritedFrom?: { projectId: string } | { domainId: string };
}

/** What the computation needs to know about projects. */
export interface ProjectLineage {
  /** The project's domain. */
  domainId: string;
  /** Ancestors, nearest first, up to but excluding the domain. */
  parentIds: string[];
}

/**
 * The roles a user effectively holds on one project, as Keystone computes them for a token:
 * direct and group grants on the project, plus inherited grants on its domain and ancestors.
 */
export function rolesOnProject(
  userId: string,
  groupIds: readonly string[],
  projectId: string,
  lineage: ProjectLineage,
  assignments: readonly Assignment[],
): Set<string> {
  const actors = new Set([userId, ...groupIds]);
  const roles = new Set<string>();
  for (const a of assignments) {
    if (!actors.has(a.actorId)) continue;
    const onProject = a.type === 'UserProject' || a.type === 'GroupProject';
    const onDomain = a.type === 'UserDomain' || a.type === 'GroupDomain';
    if (onProject && !a.inherited && a.targetId === projectId) roles.add(a.roleId);
    else if (onProject && a.inherited && lineage.parentIds.includes(a.targetId)) roles.add(a.roleId);
    else if (onDomain && a.inherited && a.targetId === lineage.domainId) roles.add(a.roleId);
  }
  return roles;
}

/** The roles a user holds on a domain (inherited grants apply to its projects, not to it). */
export function rolesOnDomain(
  userId: string,
  groupIds: readonly string[],
  domainId: string,
  assignments: readonly Assignment[],
): Set<string> {
  const actors = new Set([userId, ...groupIds]);
  const roles = new Set<string>();
  for (const a of assignments) {
    if (
      actors.has(a.actorId) &&
      !a.inherited &&
      (a.type === 'UserDomain' || a.type === 'GroupDomain') &&
      a.targetId === domainId
    )
      roles.add(a.roleId);
  }
  return roles;
}

/** The roles a user holds on the system. */
export function rolesOnSystem(
  userId: string,
  groupIds: readonly string[],
  assignments: readonly Assignment[],
): Set<string> {
  const actors = new Set([userId, ...groupIds]);
  return new Set(
    assignments
      .filter((a) => actors.has(a.actorId) && (a.type === 'UserSystem' || a.type === 'GroupSystem'))
      .map((a) => a.roleId),
  );
}
