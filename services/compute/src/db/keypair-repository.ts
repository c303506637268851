import { type Database, nowTimestamp } from '@nimbus/db';
import type { ComputeTables } from './compute-tables';

/** A key pair row. */
export interface Keypair {
  userId: string;
  name: string;
  type: string;
  publicKey: string;
  fingerprint: string;
  createdAt: string;
}

/** Key pairs, per user. */
export class KeypairRepository {
  constructor(private readonly db: Database<ComputeTables>) {}

  async create(k: Omit<Keypair, 'createdAt'>): Promise<Keypair> {
    const createdAt = nowTimestamp();
    await this.db.kysely
      .insertInto('keypairs')
      .values({
        user_id: k.userId,
        name: k.name,
        type: k.type,
        public_key: k.publicKey,
        fingerprint: k.fingerprint,
        created_at: createdAt,
      })
      .execute();
    return { ...k, createdAt };
  }

  async get(userId: string, name: string): Promise<Keypair | undefined> {
    const r = await this.db.kysely
      .selectFrom('keypairs')
      .selectAll()
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .executeTakeFirst();
    return r
      ? {
          userId: r.user_id,
          name: r.name,
          type: r.type,
          publicKey: r.public_key,
          fingerprint: r.fingerprint,
          createdAt: r.created_at,
        }
      : undefined;
  }

  async list(userId: string): Promise<Keypair[]> {
    const rows = await this.db.kysely
      .selectFrom('keypairs')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      userId: r.user_id,
      name: r.name,
      type: r.type,
      publicKey: r.public_key,
      fingerprint: r.fingerprint,
      createdAt: r.created_at,
    }));
  }

  async count(userId: string): Promise<number> {
    const r = await this.db.kysely
      .selectFrom('keypairs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async delete(userId: string, name: string): Promise<boolean> {
    const res = await this.db.kysely
      .deleteFrom('keypairs')
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}
