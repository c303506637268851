import { type Database, nowTimestamp } from '@nimbus/db';
import { ListGeneration } from './list-generation';

/** A project an image is shared with, and whether it accepted. */
export interface MemberRecord {
  imageId: string;
  member: string;
  status: 'pending' | 'accepted' | 'rejected';
  createdAt: string;
  updatedAt: string;
}

type Row = {
  image_id: string;
  member: string;
  status: MemberRecord['status'];
  created_at: string;
  updated_at: string;
};
const toRecord = (r: Row): MemberRecord => ({
  imageId: r.image_id,
  member: r.member,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Reads and writes image members. */
export class MemberRepository {
  /** Member changes change who sees shared images: they move the list generation on. */
  private readonly generation: ListGeneration;

  constructor(private readonly db: Database) {
    this.generation = new ListGeneration(db);
  }

  async create(imageId: string, member: string): Promise<MemberRecord> {
    const now = nowTimestamp();
    await this.db.transaction(async (t) => {
      await t
        .insertInto('image_member')
        .values({ image_id: imageId, member, status: 'pending', created_at: now, updated_at: now })
        .execute();
      await this.generation.bump(t);
    });
    return { imageId, member, status: 'pending', createdAt: now, updatedAt: now };
  }

  async get(imageId: string, member: string): Promise<MemberRecord | undefined> {
    const r = (await this.db.kysely
      .selectFrom('image_member')
      .selectAll()
      .where('image_id', '=', imageId)
      .where('member', '=', member)
      .executeTakeFirst()) as Row | undefined;
    return r && toRecord(r);
  }

  async list(f: { imageId?: string; member?: string }): Promise<MemberRecord[]> {
    let q = this.db.kysely.selectFrom('image_member').selectAll();
    if (f.imageId !== undefined) q = q.where('image_id', '=', f.imageId);
    if (f.member !== undefined) q = q.where('member', '=', f.member);
    return ((await q.orderBy('created_at').execute()) as Row[]).map(toRecord);
  }

  async setStatus(imageId: string, member: string, status: MemberRecord['status']): Promise<void> {
    await this.db.transaction(async (t) => {
      await t
        .updateTable('image_member')
        .set({ status, updated_at: nowTimestamp() })
        .where('image_id', '=', imageId)
        .where('member', '=', member)
        .execute();
      await this.generation.bump(t);
    });
  }

  async delete(imageId: string, member: string): Promise<void> {
    await this.db.transaction(async (t) => {
      await t
        .deleteFrom('image_member')
        .where('image_id', '=', imageId)
        .where('member', '=', member)
        .execute();
      await this.generation.bump(t);
    });
  }
}
