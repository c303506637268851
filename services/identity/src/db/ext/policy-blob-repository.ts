import { type Database, fromJson, run, toJson } from '@nimbus/db';

/** A legacy policy blob (`/v3/policies`): an opaque document of a given type, plus extra attributes. */
export interface PolicyBlobRecord {
  id: string;
  type: string;
  blob: string;
  extra: Record<string, unknown>;
}

type Row = { id: string; type: string; blob: string; extra: string | null };
const toRecord = (r: Row): PolicyBlobRecord => ({
  id: r.id,
  type: r.type,
  blob: r.blob,
  extra: fromJson(r.extra, {}),
});

/** Reads and writes legacy policy blobs. */
export class PolicyBlobRepository {
  constructor(private readonly db: Database) {}

  async create(p: PolicyBlobRecord): Promise<void> {
    await this.db.transaction((t) =>
      t
        .insertInto('policy_blob')
        .values({ id: p.id, type: p.type, blob: p.blob, extra: toJson(p.extra) })
        .execute(),
    );
  }

  async get(id: string): Promise<PolicyBlobRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('policy_blob')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as Row | undefined;
    return row && toRecord(row);
  }

  async list(f: { type?: string } = {}): Promise<PolicyBlobRecord[]> {
    let q = this.db.kysely.selectFrom('policy_blob').selectAll();
    if (f.type !== undefined) q = q.where('type', '=', f.type);
    return ((await q.orderBy('id').execute()) as Row[]).map(toRecord);
  }

  async update(p: PolicyBlobRecord): Promise<void> {
    await this.db.transaction((t) =>
      t
        .updateTable('policy_blob')
        .set({ type: p.type, blob: p.blob, extra: toJson(p.extra) })
        .where('id', '=', p.id)
        .execute(),
    );
  }

  async delete(id: string): Promise<boolean> {
    const r = await run(() =>
      this.db.kysely.deleteFrom('policy_blob').where('id', '=', id).executeTakeFirst(),
    );
    return Number(r.numDeletedRows) > 0;
  }
}
