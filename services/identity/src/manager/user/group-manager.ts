import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '@nimbus/errors';
import { DuplicateEntryError } from '@nimbus/db';
import type { GroupRecord, GroupRepository } from '../../db/repositories/group-repository';
import type { ProjectRepository } from '../../db/repositories/project-repository';
import type { UserRepository } from '../../db/repositories/user-repository';
import type { IdentityEvents } from '../identity-events';
import { userNotFound } from './user-manager';

/** Keystone's GroupNotFound (404). */
export function groupNotFound(id: string): NotFoundError {
  return new NotFoundError(`Could not find group: ${id}.`, { code: 'IDENTITY_GROUP_NOT_FOUND' });
}

/** Groups and their members. Removing a member or deleting a group announces it, so tokens follow. */
export class GroupManager {
  constructor(
    private readonly groups: GroupRepository,
    private readonly users: UserRepository,
    private readonly projects: ProjectRepository,
    private readonly events: IdentityEvents,
  ) {}

  async get(id: string): Promise<GroupRecord> {
    const g = await this.groups.get(id);
    if (!g) throw groupNotFound(id);
    return g;
  }

  list(f: { domainId?: string; name?: string; ids?: readonly string[] } = {}): Promise<GroupRecord[]> {
    return this.groups.list(f);
  }

  async create(input: Omit<GroupRecord, 'id'>): Promise<GroupRecord> {
    const d = await this.projects.get(input.domainId);
    if (!d?.isDomain)
      throw new NotFoundError(`Could not find domain: ${input.domainId}.`, {
        code: 'IDENTITY_DOMAIN_NOT_FOUND',
      });
    try {
      return await this.groups.create({ ...input, id: randomUUID().replaceAll('-', '') });
    } catch (err) {
      if (err instanceof DuplicateEntryError)
        throw new ConflictError(
          `Conflict occurred attempting to store group - Duplicate entry found with name ${input.name} at domain ID ${input.domainId}.`,
        );
      throw err;
    }
  }

  async update(
    id: string,
    changes: Partial<Pick<GroupRecord, 'name' | 'description' | 'extra'>>,
  ): Promise<GroupRecord> {
    const before = await this.get(id);
    try {
      await this.groups.update(id, {
        ...changes,
        ...(changes.extra ? { extra: { ...before.extra, ...changes.extra } } : {}),
      });
    } catch (err) {
      if (err instanceof DuplicateEntryError)
        throw new ConflictError(
          `Conflict occurred attempting to store group - Duplicate entry found with name ${changes.name} at domain ID ${before.domainId}.`,
        );
      throw err;
    }
    return this.get(id);
  }

  /** Deletes the group; its members lose what they held through it. */
  async delete(id: string): Promise<string[]> {
    await this.get(id);
    const members = await this.groups.memberIds(id);
    await this.groups.delete(id);
    await this.events.groupDeleted(id, members);
    return members;
  }

  async addMember(groupId: string, userId: string): Promise<void> {
    await this.get(groupId);
    if (!(await this.users.get(userId))) throw userNotFound(userId);
    if ((await this.users.groupIds(userId)).includes(groupId)) return;
    await this.users.addToGroup(userId, groupId);
  }

  async removeMember(groupId: string, userId: string): Promise<void> {
    await this.requireMember(groupId, userId);
    await this.users.removeFromGroup(userId, groupId);
    await this.events.userRemovedFromGroup(userId, groupId);
  }

  /** 404 naming the user when they are not a member (Keystone's NotFound for check_user_in_group). */
  async requireMember(groupId: string, userId: string): Promise<void> {
    await this.get(groupId);
    if (!(await this.users.get(userId))) throw userNotFound(userId);
    if (!(await this.users.groupIds(userId)).includes(groupId)) {
      throw new NotFoundError(`User '${userId}' not found in group '${groupId}'`, {
        code: 'IDENTITY_NOT_A_MEMBER',
      });
    }
  }

  memberIds(groupId: string): Promise<string[]> {
    return this.groups.memberIds(groupId);
  }

  /** Groups the user belongs to. */
  async groupsOf(userId: string): Promise<GroupRecord[]> {
    if (!(await this.users.get(userId))) throw userNotFound(userId);
    return this.groups.list({ ids: await this.users.groupIds(userId) });
  }
}
