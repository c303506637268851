import { type Database, DuplicateEntryError, nowTimestamp } from '@nimbus/db';
import { type Insertable, sql, type Updateable } from 'kysely';
import {
  PlacementBadRequest,
  PlacementConflict,
  PlacementNotFound,
  ProviderGenerationRace,
  placementCodes,
} from '../manager/placement-errors';
import type { PlacementTables } from './placement-tables';
import { canLockRows, type Tx, writeTransaction } from './write-transaction';

/** A resource provider with its tree links. */
export interface ProviderRecord {
  id: number;
  uuid: string;
  name: string;
  generation: number;
  parentUuid: string | null;
  rootUuid: string;
  rootId: number;
  parentId: number | null;
  createdAt: string;
  updatedAt: string;
}

/** GET /resource_providers filters, normalized. */
export interface ProviderFilters {
  name?: string;
  uuid?: string;
  inTree?: string;
  /** Each set: the provider is in at least one of its aggregates. */
  memberOf?: string[][];
  forbiddenAggregates?: string[];
  /** Each set of trait ids: the provider has at least one. */
  requiredTraitIds?: number[][];
  forbiddenTraitIds?: number[];
  /** class id → amount the provider must have room for. */
  resources?: Map<number, number>;
}

/** No provider with that uuid. */
export class ProviderNotFound extends PlacementNotFound {
  constructor(readonly uuid: string) {
    super(`No resource provider with uuid ${uuid} found`, placementCodes.providerNotFound);
  }
}

/** Reads and writes providers; every write bumps the provider's generation in the same transaction. */
export class ProviderRepository {
  constructor(readonly db: Database<PlacementTables>) {}

  private base(trx: Tx) {
    return trx
      .selectFrom('resource_providers as rp')
      .innerJoin('resource_providers as root', 'root.id', 'rp.root_provider_id')
      .leftJoin('resource_providers as parent', 'parent.id', 'rp.parent_provider_id')
      .select([
        'rp.id',
        'rp.uuid',
        'rp.name',
        'rp.generation',
        'rp.created_at',
        'rp.updated_at',
        'rp.root_provider_id',
        'rp.parent_provider_id',
        'root.uuid as root_uuid',
        'parent.uuid as parent_uuid',
      ]);
  }

  /** The provider, or undefined. */
  async find(uuid: string, trx: Tx = this.db.kysely): Promise<ProviderRecord | undefined> {
    const row = await this.base(trx).where('rp.uuid', '=', uuid).executeTakeFirst();
    return row && toRecord(row);
  }

  /** The provider; 404 when missing. */
  async get(uuid: string, trx?: Tx): Promise<ProviderRecord> {
    const p = await this.find(uuid, trx);
    if (!p) throw new ProviderNotFound(uuid);
    return p;
  }

  async byIds(ids: number[], trx: Tx = this.db.kysely): Promise<ProviderRecord[]> {
    if (!ids.length) return [];
    const rows = await this.base(trx).where('rp.id', 'in', ids).execute();
    return rows.map(toRecord);
  }

  async list(f: ProviderFilters): Promise<ProviderRecord[]> {
    const k = this.db.kysely;
    let q = this.base(k);
    if (f.name !== undefined) q = q.where('rp.name', '=', f.name);
    if (f.uuid !== undefined) q = q.where('rp.uuid', '=', f.uuid);
    if (f.inTree !== undefined) {
      const tree = await this.find(f.inTree);
      if (!tree) return [];
      q = q.where('rp.root_provider_id', '=', tree.rootId);
    }
    for (const anyOf of f.requiredTraitIds ?? []) {
      q = q.where(
        'rp.id',
        'in',
        k
          .selectFrom('resource_provider_traits')
          .select('resource_provider_id')
          .where('trait_id', 'in', anyOf),
      );
    }
    if (f.forbiddenTraitIds?.length) {
      q = q.where(
        'rp.id',
        'not in',
        k
          .selectFrom('resource_provider_traits')
          .select('resource_provider_id')
          .where('trait_id', 'in', f.forbiddenTraitIds),
      );
    }
    for (const anyOf of f.memberOf ?? []) {
      q = q.where(
        'rp.id',
        'in',
        k
          .selectFrom('resource_provider_aggregates')
          .select('resource_provider_id')
          .where('aggregate_uuid', 'in', anyOf),
      );
    }
    if (f.forbiddenAggregates?.length) {
      q = q.where(
        'rp.id',
        'not in',
        k
          .selectFrom('resource_provider_aggregates')
          .select('resource_provider_id')
          .where('aggregate_uuid', 'in', f.forbiddenAggregates),
      );
    }
    for (const [rcId, amount] of f.resources ?? []) {
      q = q.where(sql<boolean>`rp.id IN (${providersWithRoom(rcId, amount)})`);
    }
    const rows = await q.orderBy('rp.id').execute();
    return rows.map(toRecord);
  }

  /** Creates a provider (a root, or a child of `parentUuid`). */
  async create(input: { uuid: string; name: string; parentUuid?: string | null }): Promise<ProviderRecord> {
    const now = nowTimestamp();
    try {
      return await writeTransaction(this.db, async (trx) => {
        let parent: ProviderRecord | undefined;
        if (input.parentUuid) {
          if (input.parentUuid === input.uuid) {
            throw new PlacementBadRequest(
              `Unable to create resource provider "${input.name}", ${input.uuid}: Object action create failed because: parent provider UUID cannot be same as UUID. Please set parent provider UUID to None if there is no parent.`,
            );
          }
          parent = await this.find(input.parentUuid, trx);
          if (!parent) {
            throw new PlacementBadRequest(
              `Unable to create resource provider "${input.name}", ${input.uuid}: Object action create failed because: parent provider UUID does not exist.`,
            );
          }
        }
        const values = {
          uuid: input.uuid,
          name: input.name,
          generation: 0,
          root_provider_id: parent?.rootId ?? null,
          parent_provider_id: parent?.id ?? null,
          created_at: now,
          updated_at: now,
        };
        const id = await insertId(this.db, trx, values);
        if (!parent)
          await trx
            .updateTable('resource_providers')
            .set({ root_provider_id: id })
            .where('id', '=', id)
            .execute();
        return (await this.find(input.uuid, trx))!;
      });
    } catch (err) {
      if (err instanceof DuplicateEntryError) {
        const dupes: string[] = [];
        if (await this.find(input.uuid)) dupes.push(`uuid: ${input.uuid}`);
        if (
          await this.db.kysely
            .selectFrom('resource_providers')
            .select('id')
            .where('name', '=', input.name)
            .executeTakeFirst()
        )
          dupes.push(`name: ${input.name}`);
        throw new PlacementConflict(
          `Conflicting resource provider ${dupes.join(', ')} already exists.`,
          placementCodes.duplicateName,
        );
      }
      throw err;
    }
  }

  /** Renames and (re-/un-)parents a provider; re-parenting needs `allowReparenting` (1.37). */
  async update(
    uuid: string,
    changes: { name?: string; parentUuid?: string | null },
    allowReparenting: boolean,
  ): Promise<ProviderRecord> {
    try {
      return await writeTransaction(this.db, async (trx) => {
        const current = await this.get(uuid, trx);
        const sets: Updateable<PlacementTables['resource_providers']> = { updated_at: nowTimestamp() };
        if (changes.name !== undefined) sets.name = changes.name;
        let newRoot: number | undefined;
        if (changes.parentUuid !== undefined && changes.parentUuid !== current.parentUuid) {
          const fail = (reason: string) =>
            new PlacementBadRequest(
              `Unable to save resource provider ${uuid}: Object action update failed because: ${reason}`,
            );
          if (changes.parentUuid === null) {
            if (!allowReparenting) throw fail('un-parenting a provider is not currently allowed.');
            sets.parent_provider_id = null;
            newRoot = current.id;
          } else {
            const parent = await this.find(changes.parentUuid, trx);
            if (!parent) throw fail('parent provider UUID does not exist.');
            if (current.parentUuid !== null && !allowReparenting)
              throw fail('re-parenting a provider is not currently allowed.');
            const subtree = await this.subtreeIds(current.id, trx);
            if (subtree.includes(parent.id)) throw fail('creating loop in the provider tree is not allowed.');
            sets.parent_provider_id = parent.id;
            newRoot = parent.rootId;
          }
        }
        await trx.updateTable('resource_providers').set(sets).where('id', '=', current.id).execute();
        if (newRoot !== undefined && newRoot !== current.rootId) {
          const subtree = await this.subtreeIds(current.id, trx);
          await trx
            .updateTable('resource_providers')
            .set({ root_provider_id: newRoot })
            .where('id', 'in', subtree)
            .execute();
        }
        // Renaming and re-parenting leave the generation alone, as upstream.
        return (await this.find(uuid, trx))!;
      });
    } catch (err) {
      if (err instanceof DuplicateEntryError) {
        throw new PlacementConflict(
          `Conflicting resource provider ${changes.name} already exists.`,
          placementCodes.duplicateName,
        );
      }
      throw err;
    }
  }

  /** Ids of a provider and everything below it. */
  async subtreeIds(id: number, trx: Tx): Promise<number[]> {
    const out = [id];
    let frontier = [id];
    while (frontier.length) {
      const rows = await trx
        .selectFrom('resource_providers')
        .select('id')
        .where('parent_provider_id', 'in', frontier)
        .execute();
      frontier = rows.map((r) => r.id).filter((x) => !out.includes(x));
      out.push(...frontier);
    }
    return out;
  }

  /** Deletes a provider without children or allocations, with its inventories, traits and aggregates. */
  async delete(uuid: string): Promise<void> {
    await writeTransaction(this.db, async (trx) => {
      const p = await this.find(uuid, trx);
      if (!p)
        throw new PlacementNotFound(
          `No resource provider with uuid ${uuid} found for delete`,
          placementCodes.providerNotFound,
        );
      await this.lock(trx, [p.id]);
      const child = await trx
        .selectFrom('resource_providers')
        .select('id')
        .where('parent_provider_id', '=', p.id)
        .executeTakeFirst();
      if (child) {
        throw new PlacementConflict(
          `Unable to delete parent resource provider ${uuid}: It has child resource providers.`,
          placementCodes.cannotDeleteParent,
        );
      }
      const alloc = await trx
        .selectFrom('allocations')
        .select('id')
        .where('resource_provider_id', '=', p.id)
        .executeTakeFirst();
      if (alloc) {
        throw new PlacementConflict(
          `Unable to delete resource provider ${uuid}: Resource provider has allocations.`,
          placementCodes.providerInUse,
        );
      }
      await trx.deleteFrom('inventories').where('resource_provider_id', '=', p.id).execute();
      await trx.deleteFrom('resource_provider_traits').where('resource_provider_id', '=', p.id).execute();
      await trx.deleteFrom('resource_provider_aggregates').where('resource_provider_id', '=', p.id).execute();
      await trx.deleteFrom('resource_providers').where('id', '=', p.id).execute();
    });
  }

  /** Locks provider rows for the rest of the transaction (in id order, so writers never deadlock). */
  async lock(trx: Tx, ids: number[]): Promise<void> {
    if (!canLockRows(this.db) || !ids.length) return;
    await trx
      .selectFrom('resource_providers')
      .select('id')
      .where(
        'id',
        'in',
        [...ids].sort((a, b) => a - b),
      )
      .orderBy('id')
      .forUpdate()
      .execute();
  }

  /**
   * Moves a provider's generation on from `expected`; ProviderGenerationRace when another
   * transaction moved it first.
   */
  async bump(trx: Tx, id: number, expected: number, uuid = ''): Promise<number> {
    const result = await trx
      .updateTable('resource_providers')
      .set({ generation: expected + 1, updated_at: nowTimestamp() })
      .where('id', '=', id)
      .where('generation', '=', expected)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new ProviderGenerationRace(uuid || String(id));
    return expected + 1;
  }
}

/** Inserts a provider row and returns its id (RETURNING on PostgreSQL, the insert id elsewhere). */
async function insertId(
  db: Database,
  trx: Tx,
  values: Insertable<PlacementTables['resource_providers']>,
): Promise<number> {
  if (db.dialect === 'postgres') {
    const row = await trx
      .insertInto('resource_providers')
      .values(values)
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }
  const result = await trx.insertInto('resource_providers').values(values).executeTakeFirstOrThrow();
  return Number(result.insertId);
}

/** Providers with room for `amount` of a class: capacity, min_unit, max_unit and step_size. */
export function providersWithRoom(rcId: number, amount: number) {
  return sql<{ resource_provider_id: number }>`
    SELECT inv.resource_provider_id FROM inventories inv
    LEFT JOIN (SELECT resource_provider_id, SUM(used) AS used FROM allocations
               WHERE resource_class_id = ${rcId} GROUP BY resource_provider_id) u
      ON u.resource_provider_id = inv.resource_provider_id
    WHERE inv.resource_class_id = ${rcId}
      AND COALESCE(u.used, 0) + ${amount} <= (inv.total - inv.reserved) * inv.allocation_ratio
      AND inv.min_unit <= ${amount} AND inv.max_unit >= ${amount}
      AND ${amount} % inv.step_size = 0`;
}

function toRecord(r: {
  id: number;
  uuid: string;
  name: string;
  generation: number;
  created_at: string;
  updated_at: string;
  root_provider_id: number | null;
  parent_provider_id: number | null;
  root_uuid: string;
  parent_uuid: string | null;
}): ProviderRecord {
  return {
    id: r.id,
    uuid: r.uuid,
    name: r.name,
    generation: r.generation,
    parentUuid: r.parent_uuid,
    rootUuid: r.root_uuid,
    rootId: r.root_provider_id ?? r.id,
    parentId: r.parent_provider_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
