import { type Database, fromJson, nowTimestamp, toBoolean, toJson } from '@nimbus/db';

/** A trust as stored. */
export interface TrustRecord {
  id: string;
  trustorUserId: string;
  trusteeUserId: string;
  projectId: string | null;
  impersonation: boolean;
  /** Stored time form, or null for no expiry. */
  expiresAt: string | null;
  /** Null for unlimited uses. */
  remainingUses: number | null;
  redelegatedTrustId: string | null;
  redelegationCount: number;
  roleIds: string[];
  extra: Record<string, unknown>;
}

type Row = {
  id: string;
  trustor_user_id: string;
  trustee_user_id: string;
  project_id: string | null;
  impersonation: unknown;
  expires_at: string | null;
  remaining_uses: number | null;
  redelegated_trust_id: string | null;
  redelegation_count: number | null;
  extra: string | null;
};

/** The outcome of consuming one use of a trust. */
export type ConsumeResult = 'ok' | 'exhausted' | 'missing';

/** Reads and writes trusts and their delegated roles. */
export class TrustRepository {
  constructor(private readonly db: Database) {}

  async create(t: TrustRecord): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx
        .insertInto('trust')
        .values({
          id: t.id,
          trustor_user_id: t.trustorUserId,
          trustee_user_id: t.trusteeUserId,
          project_id: t.projectId,
          impersonation: t.impersonation,
          expires_at: t.expiresAt,
          remaining_uses: t.remainingUses,
          redelegated_trust_id: t.redelegatedTrustId,
          redelegation_count: t.redelegationCount,
          extra: toJson(t.extra),
          created_at: nowTimestamp(),
        })
        .execute();
      for (const roleId of new Set(t.roleIds))
        await trx.insertInto('trust_role').values({ trust_id: t.id, role_id: roleId }).execute();
    });
  }

  async get(id: string): Promise<TrustRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('trust')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as Row | undefined;
    return row && (await this.hydrate([row]))[0];
  }

  async list(
    f: { trustorUserId?: string; trusteeUserId?: string; redelegatedTrustId?: string } = {},
  ): Promise<TrustRecord[]> {
    let q = this.db.kysely.selectFrom('trust').selectAll();
    if (f.trustorUserId !== undefined) q = q.where('trustor_user_id', '=', f.trustorUserId);
    if (f.trusteeUserId !== undefined) q = q.where('trustee_user_id', '=', f.trusteeUserId);
    if (f.redelegatedTrustId !== undefined) q = q.where('redelegated_trust_id', '=', f.redelegatedTrustId);
    return this.hydrate((await q.orderBy('created_at').orderBy('id').execute()) as Row[]);
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction(async (t) => {
      await t.deleteFrom('trust_role').where('trust_id', '=', id).execute();
      const r = await t.deleteFrom('trust').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  /**
   * Takes one use of a limited trust with an optimistic compare-and-set on the count, so two
   * concurrent token requests can never both spend the last use.
   */
  async consumeUse(id: string): Promise<ConsumeResult> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const row = (await this.db.kysely
        .selectFrom('trust')
        .select('remaining_uses')
        .where('id', '=', id)
        .executeTakeFirst()) as { remaining_uses: number | null } | undefined;
      if (!row) return 'missing';
      if (row.remaining_uses === null) return 'ok';
      if (row.remaining_uses <= 0) return 'exhausted';
      const r = await this.db.transaction((t) =>
        t
          .updateTable('trust')
          .set({ remaining_uses: row.remaining_uses! - 1 })
          .where('id', '=', id)
          .where('remaining_uses', '=', row.remaining_uses)
          .executeTakeFirst(),
      );
      if (Number(r.numUpdatedRows) === 1) return 'ok';
    }
    return 'exhausted';
  }

  private async hydrate(rows: Row[]): Promise<TrustRecord[]> {
    if (rows.length === 0) return [];
    const roles = (await this.db.kysely
      .selectFrom('trust_role')
      .selectAll()
      .where(
        'trust_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute()) as { trust_id: string; role_id: string }[];
    return rows.map((r) => ({
      id: r.id,
      trustorUserId: r.trustor_user_id,
      trusteeUserId: r.trustee_user_id,
      projectId: r.project_id,
      impersonation: toBoolean(r.impersonation),
      expiresAt: r.expires_at,
      remainingUses: r.remaining_uses === null ? null : Number(r.remaining_uses),
      redelegatedTrustId: r.redelegated_trust_id,
      redelegationCount: Number(r.redelegation_count ?? 0),
      roleIds: roles.filter((x) => x.trust_id === r.id).map((x) => x.role_id),
      extra: fromJson(r.extra, {}),
    }));
  }
}
