/**
 * What identity's core managers announce after a change is committed. The service's wiring
 * turns each into revocation events (so affected tokens fail validation at once), extension
 * clean-ups (credentials, application credentials, trusts, limits) and notifications. Managers
 * call these and never revoke tokens themselves.
 */
export interface IdentityEvents {
  userDisabled(userId: string): Promise<void>;
  userDeleted(userId: string): Promise<void>;
  /** The user's password was changed or reset: their tokens issued before now are revoked. */
  passwordChanged(userId: string): Promise<void>;
  projectDisabled(projectId: string): Promise<void>;
  projectDeleted(projectId: string): Promise<void>;
  domainDisabled(domainId: string): Promise<void>;
  domainDeleted(domainId: string): Promise<void>;
  /** A group was deleted: its grants go, its former members lose what they held through it. */
  groupDeleted(groupId: string, memberIds: readonly string[]): Promise<void>;
  /** A user was removed from a group: tokens holding roles through it are revoked. */
  userRemovedFromGroup(userId: string, groupId: string): Promise<void>;
  /**
   * A role assignment was removed. `actorId` is a user or group id; `targetId` a project or
   * domain id, or undefined for a system assignment. `userIds` lists the affected users (the user,
   * or a group's members).
   */
  assignmentRemoved(input: {
    roleId: string;
    userIds: readonly string[];
    targetId?: string;
    inherited: boolean;
  }): Promise<void>;
  roleDeleted(roleId: string): Promise<void>;
}

/** Events that do nothing, for tests of a manager alone. */
export const ignoreIdentityEvents: IdentityEvents = {
  userDisabled: async () => {},
  userDeleted: async () => {},
  passwordChanged: async () => {},
  projectDisabled: async () => {},
  projectDeleted: async () => {},
  domainDisabled: async () => {},
  domainDeleted: async () => {},
  groupDeleted: async () => {},
  userRemovedFromGroup: async () => {},
  assignmentRemoved: async () => {},
  roleDeleted: async () => {},
};
