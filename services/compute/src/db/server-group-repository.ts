import { randomUUID } from 'node:crypto';
import { type Database, fromJson, nowTimestamp, toJson } from '@nimbus/db';
import type { ComputeTables } from './compute-tables';

/** A server group policy (the soft ones are weighers, the others filters). */
export type ServerGroupPolicy = 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';

/** A server group: a scheduling policy, its rules, and the servers in it. */
export interface ServerGroup {
  uuid: string;
  name: string;
  projectId: string;
  userId: string;
  policy: ServerGroupPolicy;
  rules: { max_server_per_host?: number };
  /** Member servers that are not deleted, in the order they joined. */
  members: string[];
  createdAt: string;
}

/** A member server and the host it runs on (null while it is being scheduled). */
export interface ServerGroupMemberHost {
  instanceUuid: string;
  host: string | null;
}

/**
 * Server groups and their members. A deleted server leaves its groups (as upstream's instance
 * destroy does): members are read through the instances that are not deleted.
 */
export class ServerGroupRepository {
  constructor(private readonly db: Database<ComputeTables>) {}

  /** Creates a group with no members. */
  async create(input: {
    name: string;
    projectId: string;
    userId: string;
    policy: ServerGroupPolicy;
    rules: ServerGroup['rules'];
  }): Promise<ServerGroup> {
    const row = {
      uuid: randomUUID(),
      name: input.name,
      project_id: input.projectId,
      user_id: input.userId,
      policy: input.policy,
      rules: toJson(input.rules),
      created_at: nowTimestamp(),
    };
    await this.db.kysely.insertInto('server_groups').values(row).execute();
    return (await this.get(row.uuid))!;
  }

  /** One group, or undefined. */
  async get(uuid: string): Promise<ServerGroup | undefined> {
    return (await this.list({ uuids: [uuid] }))[0];
  }

  /** Groups, oldest first: of one project, or of all projects when none is given. */
  async list(filter: { projectId?: string; uuids?: string[] } = {}): Promise<ServerGroup[]> {
    let q = this.db.kysely.selectFrom('server_groups').selectAll();
    if (filter.projectId !== undefined) q = q.where('project_id', '=', filter.projectId);
    if (filter.uuids !== undefined) {
      if (filter.uuids.length === 0) return [];
      q = q.where('uuid', 'in', filter.uuids);
    }
    const rows = await q.orderBy('created_at').orderBy('uuid').execute();
    if (rows.length === 0) return [];
    const members = await this.db.kysely
      .selectFrom('server_group_members as m')
      .innerJoin('instances as i', 'i.uuid', 'm.instance_uuid')
      .select(['m.group_uuid', 'm.instance_uuid'])
      .where(
        'm.group_uuid',
        'in',
        rows.map((r) => r.uuid),
      )
      .where('i.deleted', '=', false as never)
      .orderBy('i.created_at')
      .orderBy('i.launch_index')
      .execute();
    return rows.map((r) => ({
      uuid: r.uuid,
      name: r.name,
      projectId: r.project_id,
      userId: r.user_id,
      policy: r.policy as ServerGroupPolicy,
      rules: fromJson(r.rules, {}),
      members: members.filter((m) => m.group_uuid === r.uuid).map((m) => m.instance_uuid),
      createdAt: r.created_at,
    }));
  }

  /** Deletes a group; false when there was none. */
  async delete(uuid: string): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      await trx.deleteFrom('server_group_members').where('group_uuid', '=', uuid).execute();
      const r = await trx.deleteFrom('server_groups').where('uuid', '=', uuid).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  /** Adds servers to a group. */
  async addMembers(groupUuid: string, instanceUuids: readonly string[]): Promise<void> {
    if (instanceUuids.length === 0) return;
    await this.db.kysely
      .insertInto('server_group_members')
      .values(instanceUuids.map((instance_uuid) => ({ group_uuid: groupUuid, instance_uuid })))
      .execute();
  }

  /** The groups a server belongs to (ids). */
  async groupsOf(instanceUuid: string): Promise<string[]> {
    const rows = await this.db.kysely
      .selectFrom('server_group_members')
      .select('group_uuid')
      .where('instance_uuid', '=', instanceUuid)
      .execute();
    return rows.map((r) => r.group_uuid);
  }

  /** The group's members that are not deleted, with the host each runs on. */
  async memberHosts(groupUuid: string): Promise<ServerGroupMemberHost[]> {
    const rows = await this.db.kysely
      .selectFrom('server_group_members as m')
      .innerJoin('instances as i', 'i.uuid', 'm.instance_uuid')
      .select(['m.instance_uuid', 'i.host'])
      .where('m.group_uuid', '=', groupUuid)
      .where('i.deleted', '=', false as never)
      .execute();
    return rows.map((r) => ({ instanceUuid: r.instance_uuid, host: r.host }));
  }

  /** How many groups a project has (the `server_groups` quota). */
  async count(projectId: string): Promise<number> {
    const r = await this.db.kysely
      .selectFrom('server_groups')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}
