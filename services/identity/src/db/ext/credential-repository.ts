import { type Database, fromJson, nowTimestamp, run, toJson } from '@nimbus/db';

/** A credential as stored: the blob is encrypted, `keyHash` names the key that encrypted it. */
export interface StoredCredential {
  id: string;
  userId: string;
  projectId: string | null;
  type: string;
  encryptedBlob: string;
  keyHash: string;
  extra: Record<string, unknown>;
}

type Row = {
  id: string;
  user_id: string;
  project_id: string | null;
  type: string;
  encrypted_blob: string;
  key_hash: string;
  extra: string | null;
};

const toRecord = (r: Row): StoredCredential => ({
  id: r.id,
  userId: r.user_id,
  projectId: r.project_id,
  type: r.type,
  encryptedBlob: r.encrypted_blob,
  keyHash: r.key_hash,
  extra: fromJson(r.extra, {}),
});

/** Reads and writes the `credential` table. */
export class CredentialRepository {
  constructor(private readonly db: Database) {}

  async create(c: StoredCredential): Promise<void> {
    await this.db.transaction((t) =>
      t
        .insertInto('credential')
        .values({
          id: c.id,
          user_id: c.userId,
          project_id: c.projectId,
          type: c.type,
          encrypted_blob: c.encryptedBlob,
          key_hash: c.keyHash,
          extra: toJson(c.extra),
          created_at: nowTimestamp(),
        })
        .execute(),
    );
  }

  async get(id: string): Promise<StoredCredential | undefined> {
    const row = (await this.db.kysely
      .selectFrom('credential')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as Row | undefined;
    return row && toRecord(row);
  }

  async list(f: { userId?: string; type?: string; projectId?: string } = {}): Promise<StoredCredential[]> {
    let q = this.db.kysely.selectFrom('credential').selectAll();
    if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
    if (f.type !== undefined) q = q.where('type', '=', f.type);
    if (f.projectId !== undefined) q = q.where('project_id', '=', f.projectId);
    return ((await q.orderBy('created_at').orderBy('id').execute()) as Row[]).map(toRecord);
  }

  async count(userId: string): Promise<number> {
    const row = (await this.db.kysely
      .selectFrom('credential')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirst()) as { n: number | string } | undefined;
    return Number(row?.n ?? 0);
  }

  async update(
    id: string,
    changes: Partial<
      Pick<StoredCredential, 'projectId' | 'type' | 'encryptedBlob' | 'keyHash' | 'extra' | 'userId'>
    >,
  ): Promise<void> {
    const set: Record<string, unknown> = {};
    if (changes.userId !== undefined) set.user_id = changes.userId;
    if (changes.projectId !== undefined) set.project_id = changes.projectId;
    if (changes.type !== undefined) set.type = changes.type;
    if (changes.encryptedBlob !== undefined) set.encrypted_blob = changes.encryptedBlob;
    if (changes.keyHash !== undefined) set.key_hash = changes.keyHash;
    if (changes.extra !== undefined) set.extra = toJson(changes.extra);
    if (Object.keys(set).length)
      await this.db.transaction((t) => t.updateTable('credential').set(set).where('id', '=', id).execute());
  }

  async delete(id: string): Promise<boolean> {
    const r = await run(() =>
      this.db.kysely.deleteFrom('credential').where('id', '=', id).executeTakeFirst(),
    );
    return Number(r.numDeletedRows) > 0;
  }

  /** Removes a user's credentials (user deleted) or a project's (project deleted). */
  async deleteWhere(f: { userId?: string; projectId?: string }): Promise<void> {
    let q = this.db.kysely.deleteFrom('credential');
    if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
    if (f.projectId !== undefined) q = q.where('project_id', '=', f.projectId);
    if (f.userId === undefined && f.projectId === undefined) return;
    await run(() => q.execute());
  }
}
