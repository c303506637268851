import { type Database, fromJson, toJson } from '@nimbus/db';

/** An endpoint group: the endpoints whose attributes match every filter. */
export interface EndpointGroupRecord {
  id: string;
  name: string;
  description: string | null;
  filters: Record<string, string>;
}

type Row = { id: string; name: string; description: string | null; filters: string };
const toRecord = (r: Row): EndpointGroupRecord => ({
  id: r.id,
  name: r.name,
  description: r.description,
  filters: fromJson(r.filters, {}),
});

/** Reads and writes endpoint groups and the project associations of OS-EP-FILTER. */
export class EndpointFilterRepository {
  constructor(private readonly db: Database) {}

  async createGroup(g: EndpointGroupRecord): Promise<void> {
    await this.db.kysely
      .insertInto('endpoint_group')
      .values({ id: g.id, name: g.name, description: g.description, filters: toJson(g.filters) })
      .execute();
  }

  async getGroup(id: string): Promise<EndpointGroupRecord | undefined> {
    const r = (await this.db.kysely
      .selectFrom('endpoint_group')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as Row | undefined;
    return r && toRecord(r);
  }

  async listGroups(f: { name?: string } = {}): Promise<EndpointGroupRecord[]> {
    let q = this.db.kysely.selectFrom('endpoint_group').selectAll();
    if (f.name !== undefined) q = q.where('name', '=', f.name);
    return ((await q.orderBy('id').execute()) as Row[]).map(toRecord);
  }

  async updateGroup(g: EndpointGroupRecord): Promise<void> {
    await this.db.kysely
      .updateTable('endpoint_group')
      .set({ name: g.name, description: g.description, filters: toJson(g.filters) })
      .where('id', '=', g.id)
      .execute();
  }

  async deleteGroup(id: string): Promise<void> {
    await this.db.transaction(async (t) => {
      await t.deleteFrom('project_endpoint_group').where('endpoint_group_id', '=', id).execute();
      await t.deleteFrom('endpoint_group').where('id', '=', id).execute();
    });
  }

  async associateGroup(groupId: string, projectId: string): Promise<void> {
    await this.db.transaction(async (t) => {
      await t
        .deleteFrom('project_endpoint_group')
        .where('endpoint_group_id', '=', groupId)
        .where('project_id', '=', projectId)
        .execute();
      await t
        .insertInto('project_endpoint_group')
        .values({ endpoint_group_id: groupId, project_id: projectId })
        .execute();
    });
  }

  async dissociateGroup(groupId: string, projectId: string): Promise<boolean> {
    const r = await this.db.kysely
      .deleteFrom('project_endpoint_group')
      .where('endpoint_group_id', '=', groupId)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Group ↔ project pairs, filtered by either side. */
  async groupAssociations(f: {
    groupId?: string;
    projectId?: string;
  }): Promise<{ groupId: string; projectId: string }[]> {
    let q = this.db.kysely.selectFrom('project_endpoint_group').selectAll();
    if (f.groupId !== undefined) q = q.where('endpoint_group_id', '=', f.groupId);
    if (f.projectId !== undefined) q = q.where('project_id', '=', f.projectId);
    return ((await q.execute()) as { endpoint_group_id: string; project_id: string }[]).map((r) => ({
      groupId: r.endpoint_group_id,
      projectId: r.project_id,
    }));
  }

  async associateEndpoint(endpointId: string, projectId: string): Promise<void> {
    await this.db.transaction(async (t) => {
      await t
        .deleteFrom('project_endpoint')
        .where('endpoint_id', '=', endpointId)
        .where('project_id', '=', projectId)
        .execute();
      await t
        .insertInto('project_endpoint')
        .values({ endpoint_id: endpointId, project_id: projectId })
        .execute();
    });
  }

  async dissociateEndpoint(endpointId: string, projectId: string): Promise<boolean> {
    const r = await this.db.kysely
      .deleteFrom('project_endpoint')
      .where('endpoint_id', '=', endpointId)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Endpoint ↔ project pairs, filtered by either side. */
  async endpointAssociations(f: {
    endpointId?: string;
    projectId?: string;
  }): Promise<{ endpointId: string; projectId: string }[]> {
    let q = this.db.kysely.selectFrom('project_endpoint').selectAll();
    if (f.endpointId !== undefined) q = q.where('endpoint_id', '=', f.endpointId);
    if (f.projectId !== undefined) q = q.where('project_id', '=', f.projectId);
    return ((await q.execute()) as { endpoint_id: string; project_id: string }[]).map((r) => ({
      endpointId: r.endpoint_id,
      projectId: r.project_id,
    }));
  }

  /** Forgets a deleted project's or endpoint's associations. */
  async forget(f: { projectId?: string; endpointId?: string }): Promise<void> {
    if (f.projectId) {
      await this.db.kysely.deleteFrom('project_endpoint').where('project_id', '=', f.projectId).execute();
      await this.db.kysely
        .deleteFrom('project_endpoint_group')
        .where('project_id', '=', f.projectId)
        .execute();
    }
    if (f.endpointId)
      await this.db.kysely.deleteFrom('project_endpoint').where('endpoint_id', '=', f.endpointId).execute();
  }
}
