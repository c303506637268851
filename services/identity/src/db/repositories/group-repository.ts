import { type Database, fromJson, run, toJson } from '@nimbus/db';

/** A group of users in a domain. */
export interface GroupRecord {
  id: string;
  name: string;
  domainId: string;
  description: string;
  extra: Record<string, unknown>;
}

type Row = { id: string; name: string; domain_id: string; description: string | null; extra: string | null };
const toRecord = (r: Row): GroupRecord => ({
  id: r.id,
  name: r.name,
  domainId: r.domain_id,
  description: r.description ?? '',
  extra: fromJson(r.extra, {}),
});

/** Reads and writes groups; membership rows live with users (UserRepository). */
export class GroupRepository {
  constructor(private readonly db: Database) {}

  async create(g: GroupRecord): Promise<GroupRecord> {
    await this.db.transaction((t) =>
      t
        .insertInto('group')
        .values({
          id: g.id,
          name: g.name,
          domain_id: g.domainId,
          description: g.description,
          extra: toJson(g.extra),
        })
        .execute(),
    );
    return g;
  }

  async get(id: string): Promise<GroupRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('group')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as Row | undefined;
    return row && toRecord(row);
  }

  async list(f: { domainId?: string; name?: string; ids?: readonly string[] } = {}): Promise<GroupRecord[]> {
    let q = this.db.kysely.selectFrom('group').selectAll();
    if (f.domainId !== undefined) q = q.where('domain_id', '=', f.domainId);
    if (f.name !== undefined) q = q.where('name', '=', f.name);
    if (f.ids !== undefined) q = f.ids.length ? q.where('id', 'in', f.ids) : q.where('id', '=', '');
    return ((await q.orderBy('id').execute()) as Row[]).map(toRecord);
  }

  async update(
    id: string,
    changes: Partial<Pick<GroupRecord, 'name' | 'description' | 'extra'>>,
  ): Promise<void> {
    const set: Record<string, unknown> = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.description !== undefined) set.description = changes.description;
    if (changes.extra !== undefined) set.extra = toJson(changes.extra);
    if (Object.keys(set).length)
      await this.db.transaction((t) => t.updateTable('group').set(set).where('id', '=', id).execute());
  }

  async delete(id: string): Promise<void> {
    await run(() => this.db.kysely.deleteFrom('group').where('id', '=', id).execute());
  }

  /** Ids of the group's members. */
  async memberIds(groupId: string): Promise<string[]> {
    const rows = (await this.db.kysely
      .selectFrom('group_membership')
      .select('user_id')
      .where('group_id', '=', groupId)
      .orderBy('user_id')
      .execute()) as { user_id: string }[];
    return rows.map((r) => r.user_id);
  }
}
