import { type Database, nowTimestamp } from '@nimbus/db';
import { STANDARD_TRAITS } from '../data/standard-traits';
import type { PlacementTables } from '../db/placement-tables';
import { type Tx, writeTransaction } from '../db/write-transaction';
import { PlacementBadRequest, PlacementConflict, PlacementNotFound } from './placement-errors';

/** A trait as the API shows it. */
export interface TraitRecord {
  id: number;
  name: string;
  createdAt: string;
  updatedAt: string;
}

/** How GET /traits filters. */
export interface TraitFilters {
  nameIn?: string[];
  prefix?: string;
  associated?: boolean;
}

/**
 * Traits: the standard ones (synced into the table at start) and `CUSTOM_*` ones, with a name ↔ id
 * map reloaded on a miss.
 */
export class Traits {
  private byName = new Map<string, number>();
  private byId = new Map<number, string>();

  constructor(private readonly db: Database<PlacementTables>) {}

  /** Inserts the standard traits missing from the table. */
  async syncStandard(): Promise<void> {
    const have = new Set(
      (await this.db.kysely.selectFrom('traits').select('name').execute()).map((r) => r.name),
    );
    const now = nowTimestamp();
    const missing = STANDARD_TRAITS.filter((t) => !have.has(t));
    for (let i = 0; i < missing.length; i += 100) {
      const chunk = missing.slice(i, i + 100).map((name) => ({ name, created_at: now, updated_at: now }));
      try {
        await this.db.kysely.insertInto('traits').values(chunk).execute();
      } catch {
        // Another process inserted some: add the rest one by one.
        for (const row of chunk)
          await this.db.kysely
            .insertInto('traits')
            .values(row)
            .execute()
            .catch(() => undefined);
      }
    }
    await this.reload();
  }

  /** Reloads the map; inside a transaction pass it (SQLite's one connection is the transaction's). */
  private async reload(trx: Tx = this.db.kysely): Promise<void> {
    const rows = await trx.selectFrom('traits').select(['id', 'name']).execute();
    this.byName = new Map(rows.map((r) => [r.name, r.id]));
    this.byId = new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Ids of traits; throws TraitNotFound listing every unknown one. */
  async idsOf(names: Iterable<string>, trx?: Tx): Promise<Map<string, number>> {
    const list = [...names];
    if (list.some((n) => !this.byName.has(n))) await this.reload(trx);
    const missing = list.filter((n) => !this.byName.has(n));
    if (missing.length) throw new TraitNotFound(missing.join(', '));
    return new Map(list.map((n) => [n, this.byName.get(n)!]));
  }

  /** The cached name of a trait id, for hot paths. */
  cachedName(id: number): string | undefined {
    return this.byId.get(id);
  }

  /** Names of trait ids (from the map; reloaded when one is missing). */
  async namesOf(ids: Iterable<number>, trx?: Tx): Promise<string[]> {
    const list = [...ids];
    if (list.some((id) => !this.byId.has(id))) await this.reload(trx);
    return list.map((id) => this.byId.get(id)).filter((n): n is string => n !== undefined);
  }

  async list(filters: TraitFilters): Promise<TraitRecord[]> {
    let q = this.db.kysely.selectFrom('traits').selectAll();
    if (filters.nameIn) q = q.where('name', 'in', filters.nameIn.length ? filters.nameIn : ['']);
    if (filters.associated !== undefined) {
      const sub = this.db.kysely.selectFrom('resource_provider_traits').select('trait_id');
      q = filters.associated ? q.where('id', 'in', sub) : q.where('id', 'not in', sub);
    }
    const rows = await q.orderBy('name').execute();
    const out = rows.map(toRecord);
    // A prefix is matched here: LIKE's escape character differs by dialect and `_` is a wildcard.
    return filters.prefix !== undefined ? out.filter((t) => t.name.startsWith(filters.prefix!)) : out;
  }

  async get(name: string): Promise<TraitRecord> {
    const row = await this.db.kysely
      .selectFrom('traits')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) throw new TraitNotFound(name);
    return toRecord(row);
  }

  /** Creates a custom trait unless it exists; says which happened. */
  async ensure(name: string): Promise<{ trait: TraitRecord; created: boolean }> {
    const existing = await this.db.kysely
      .selectFrom('traits')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    if (existing) return { trait: toRecord(existing), created: false };
    const now = nowTimestamp();
    try {
      await this.db.kysely.insertInto('traits').values({ name, created_at: now, updated_at: now }).execute();
    } catch {
      return { trait: await this.get(name), created: false };
    }
    const trait = await this.get(name);
    this.byName.set(name, trait.id);
    this.byId.set(trait.id, name);
    return { trait, created: true };
  }

  /** Deletes a custom trait no provider has. */
  async delete(name: string): Promise<void> {
    const trait = await this.get(name);
    if (!name.startsWith('CUSTOM_')) throw new PlacementBadRequest(`Cannot delete standard trait ${name}.`);
    await writeTransaction(this.db, async (trx) => {
      const used = await trx
        .selectFrom('resource_provider_traits')
        .select('trait_id')
        .where('trait_id', '=', trait.id)
        .executeTakeFirst();
      if (used) throw new PlacementConflict(`The trait ${name} is in use by a resource provider.`);
      await trx.deleteFrom('traits').where('id', '=', trait.id).execute();
    });
    this.byName.delete(name);
    this.byId.delete(trait.id);
  }
}

/** Unknown trait names. */
export class TraitNotFound extends PlacementNotFound {
  constructor(readonly names: string) {
    super(`No such trait(s): ${names}.`);
  }
}

function toRecord(r: { id: number; name: string; created_at: string; updated_at: string }): TraitRecord {
  return { id: r.id, name: r.name, createdAt: r.created_at, updatedAt: r.updated_at };
}
