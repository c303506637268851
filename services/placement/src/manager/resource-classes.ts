import { type Database, DuplicateEntryError, nowTimestamp } from '@nimbus/db';
import { STANDARD_RESOURCE_CLASSES } from '../data/standard-resource-classes';
import type { PlacementTables } from '../db/placement-tables';
import { type Tx, writeTransaction } from '../db/write-transaction';
import { PlacementBadRequest, PlacementConflict, PlacementNotFound } from './placement-errors';

/** First id of a custom resource class, as upstream. */
const FIRST_CUSTOM_ID = 10_000;

/** A resource class as the API shows it. */
export interface ResourceClassRecord {
  id: number;
  name: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * Resource classes: the standard ones (synced into the table at start, ids as their index) and
 * `CUSTOM_*` ones. Keeps a name ↔ id map, reloaded on a miss so other processes' classes are seen.
 */
export class ResourceClasses {
  private byName = new Map<string, number>();
  private byId = new Map<number, string>();

  constructor(private readonly db: Database<PlacementTables>) {}

  /** Inserts the standard classes missing from the table (every process does it at start). */
  async syncStandard(): Promise<void> {
    const now = nowTimestamp();
    const have = new Set(
      (await this.db.kysely.selectFrom('resource_classes').select('name').execute()).map((r) => r.name),
    );
    for (const [id, name] of STANDARD_RESOURCE_CLASSES.entries()) {
      if (have.has(name)) continue;
      try {
        await this.db.kysely
          .insertInto('resource_classes')
          .values({ id, name, created_at: now, updated_at: now })
          .execute();
      } catch {
        // Another process inserted it first.
      }
    }
    await this.reload();
  }

  /** Reloads the map; inside a transaction pass it (SQLite's one connection is the transaction's). */
  private async reload(trx: Tx = this.db.kysely): Promise<void> {
    const rows = await trx.selectFrom('resource_classes').select(['id', 'name']).execute();
    this.byName = new Map(rows.map((r) => [r.name, r.id]));
    this.byId = new Map(rows.map((r) => [r.id, r.name]));
  }

  /** The id of a class, or undefined when it does not exist. */
  async idOf(name: string, trx?: Tx): Promise<number | undefined> {
    const id = this.byName.get(name);
    if (id !== undefined) return id;
    await this.reload(trx);
    return this.byName.get(name);
  }

  /** Ids of many classes; throws ResourceClassNotFound naming the first unknown one. */
  async idsOf(names: Iterable<string>, trx?: Tx): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const name of names) {
      const id = await this.idOf(name, trx);
      if (id === undefined) throw new ResourceClassNotFound(name);
      out.set(name, id);
    }
    return out;
  }

  /** The name of a class id (reloading once on a miss). */
  async nameOf(id: number, trx?: Tx): Promise<string> {
    let name = this.byId.get(id);
    if (name === undefined) {
      await this.reload(trx);
      name = this.byId.get(id);
    }
    return name ?? `UNKNOWN_${id}`;
  }

  /** The cached name of a class id, for hot paths that already loaded the classes. */
  cachedName(id: number): string | undefined {
    return this.byId.get(id);
  }

  async list(): Promise<ResourceClassRecord[]> {
    const rows = await this.db.kysely.selectFrom('resource_classes').selectAll().orderBy('id').execute();
    return rows.map(toRecord);
  }

  async get(name: string): Promise<ResourceClassRecord> {
    const row = await this.db.kysely
      .selectFrom('resource_classes')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) throw new ResourceClassNotFound(name);
    return toRecord(row);
  }

  /** Creates a custom class; 409 when it exists. */
  async create(name: string): Promise<ResourceClassRecord> {
    const now = nowTimestamp();
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        return await writeTransaction(this.db, async (trx) => {
          const existing = await trx
            .selectFrom('resource_classes')
            .select('id')
            .where('name', '=', name)
            .executeTakeFirst();
          if (existing) throw new ResourceClassExists(name);
          const max = await trx
            .selectFrom('resource_classes')
            .select((eb) => eb.fn.max('id').as('max'))
            .where('id', '>=', FIRST_CUSTOM_ID)
            .executeTakeFirst();
          const id = Math.max(FIRST_CUSTOM_ID, Number(max?.max ?? FIRST_CUSTOM_ID - 1) + 1);
          await trx
            .insertInto('resource_classes')
            .values({ id, name, created_at: now, updated_at: now })
            .execute();
          this.byName.set(name, id);
          this.byId.set(id, name);
          return { id, name, createdAt: now, updatedAt: now };
        });
      } catch (err) {
        if (err instanceof DuplicateEntryError) {
          if (await this.exists(name)) throw new ResourceClassExists(name);
          continue;
        }
        throw err;
      }
    }
    throw new PlacementConflict(
      `Max retries of DB transaction exceeded attempting to create resource class: ${name}, please try again.`,
    );
  }

  private async exists(name: string): Promise<boolean> {
    return !!(await this.db.kysely
      .selectFrom('resource_classes')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirst());
  }

  /** Renames a custom class (microversions 1.2 to 1.6). */
  async rename(from: string, to: string): Promise<ResourceClassRecord> {
    const current = await this.get(from);
    if (current.id < FIRST_CUSTOM_ID)
      throw new PlacementBadRequest(`Cannot update standard resource class ${from}`);
    const now = nowTimestamp();
    try {
      await this.db.kysely
        .updateTable('resource_classes')
        .set({ name: to, updated_at: now })
        .where('id', '=', current.id)
        .execute();
    } catch {
      throw new PlacementConflict(`Resource class already exists: ${to}`);
    }
    this.byName.delete(from);
    this.byName.set(to, current.id);
    this.byId.set(current.id, to);
    return { ...current, name: to, updatedAt: now };
  }

  /** Deletes a custom class no inventory uses. */
  async delete(name: string): Promise<void> {
    const current = await this.get(name);
    if (current.id < FIRST_CUSTOM_ID) {
      throw new PlacementBadRequest(
        `Error in delete resource class: Cannot delete standard resource class ${name}.`,
      );
    }
    await writeTransaction(this.db, async (trx) => {
      const used = await trx
        .selectFrom('inventories')
        .select('id')
        .where('resource_class_id', '=', current.id)
        .executeTakeFirst();
      if (used) {
        throw new PlacementConflict(
          `Error in delete resource class: Cannot delete resource class ${name}. Class is in use in inventory.`,
        );
      }
      await trx.deleteFrom('resource_classes').where('id', '=', current.id).execute();
    });
    this.byName.delete(name);
    this.byId.delete(current.id);
  }
}

/** No such resource class (404 at the API unless a handler says otherwise). */
export class ResourceClassNotFound extends PlacementNotFound {
  constructor(readonly resourceClass: string) {
    super(`No such resource class ${resourceClass}.`);
  }
}

/** The class exists already. */
export class ResourceClassExists extends PlacementConflict {
  constructor(name: string) {
    super(`Conflicting resource class already exists: ${name}`);
  }
}

function toRecord(r: {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
}): ResourceClassRecord {
  return { id: r.id, name: r.name, createdAt: r.created_at, updatedAt: r.updated_at };
}
