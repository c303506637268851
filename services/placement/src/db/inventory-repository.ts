import { type Database, nowTimestamp } from '@nimbus/db';
import {
  PlacementBadRequest,
  PlacementConflict,
  PlacementNotFound,
  placementCodes,
} from '../manager/placement-errors';
import { type ResourceClasses, ResourceClassNotFound } from '../manager/resource-classes';
import type { PlacementTables } from './placement-tables';
import { type ProviderRecord, ProviderRepository } from './provider-repository';
import { type Tx, writeTransaction } from './write-transaction';

/** One inventory record's settable fields. */
export interface InventoryFields {
  total: number;
  reserved: number;
  min_unit: number;
  max_unit: number;
  step_size: number;
  allocation_ratio: number;
}

/** An inventory record with its class name and timestamps. */
export interface InventoryRecord extends InventoryFields {
  resourceClass: string;
  resourceClassId: number;
  createdAt: string;
  updatedAt: string;
}

/** 2^31 - 1: the largest inventory amount (upstream's MAX_INT). */
export const MAX_INT = 2_147_483_647;

/** Upstream's defaults for fields a request leaves out. */
export const INVENTORY_DEFAULTS: Omit<InventoryFields, 'total'> = {
  reserved: 0,
  min_unit: 1,
  max_unit: MAX_INT,
  step_size: 1,
  allocation_ratio: 1.0,
};

/** Inventories of providers; every change bumps the provider generation in its transaction. */
export class InventoryRepository {
  private readonly providers: ProviderRepository;

  constructor(
    private readonly db: Database<PlacementTables>,
    private readonly classes: ResourceClasses,
  ) {
    this.providers = new ProviderRepository(db);
  }

  async list(providerId: number, trx: Tx = this.db.kysely): Promise<InventoryRecord[]> {
    const rows = await trx
      .selectFrom('inventories')
      .selectAll()
      .where('resource_provider_id', '=', providerId)
      .orderBy('resource_class_id')
      .execute();
    const out: InventoryRecord[] = [];
    for (const r of rows) {
      out.push({
        resourceClass: await this.classes.nameOf(r.resource_class_id, trx),
        resourceClassId: r.resource_class_id,
        total: Number(r.total),
        reserved: Number(r.reserved),
        min_unit: Number(r.min_unit),
        max_unit: Number(r.max_unit),
        step_size: Number(r.step_size),
        allocation_ratio: Number(r.allocation_ratio),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      });
    }
    return out;
  }

  /**
   * Replaces all of a provider's inventory (PUT .../inventories). Removing a class with
   * allocations is refused (409 inventory.inuse); lowering capacity under usage is allowed, as upstream.
   */
  async setAll(
    uuid: string,
    generation: number | undefined,
    wanted: Map<string, InventoryFields>,
  ): Promise<{ provider: ProviderRecord; inventories: InventoryRecord[] }> {
    return writeTransaction(this.db, (trx) => this.setAllIn(trx, uuid, generation, wanted));
  }

  /** setAll inside the caller's transaction (the reshaper's). */
  async setAllIn(
    trx: Tx,
    uuid: string,
    generation: number | undefined,
    wanted: Map<string, InventoryFields>,
    conflictPrefix = generation === undefined ? '' : 'update conflict: ',
  ): Promise<{ provider: ProviderRecord; inventories: InventoryRecord[] }> {
    {
      const provider = await this.lockedProvider(trx, uuid, generation);
      let ids: Map<string, number>;
      try {
        ids = await this.classes.idsOf(wanted.keys(), trx);
      } catch (err) {
        if (err instanceof ResourceClassNotFound) {
          throw new PlacementBadRequest(
            `Unknown resource class in inventory for resource provider ${uuid}: ${err.message}`,
          );
        }
        throw err;
      }
      const current = await this.list(provider.id, trx);
      const keep = new Set(ids.values());
      const removed = current.filter((c) => !keep.has(c.resourceClassId));
      if (removed.length) {
        await this.refuseInUse(
          trx,
          provider,
          removed.map((r) => r.resourceClassId),
          (msg) => new PlacementConflict(`${conflictPrefix}${msg}`, placementCodes.inventoryInUse),
        );
        await trx
          .deleteFrom('inventories')
          .where('resource_provider_id', '=', provider.id)
          .where(
            'resource_class_id',
            'in',
            removed.map((r) => r.resourceClassId),
          )
          .execute();
      }
      const now = nowTimestamp();
      const existing = new Set(current.map((c) => c.resourceClassId));
      for (const [name, fields] of wanted) {
        const rcId = ids.get(name)!;
        if (existing.has(rcId)) {
          await trx
            .updateTable('inventories')
            .set({ ...fields, updated_at: now })
            .where('resource_provider_id', '=', provider.id)
            .where('resource_class_id', '=', rcId)
            .execute();
        } else {
          await trx
            .insertInto('inventories')
            .values({
              resource_provider_id: provider.id,
              resource_class_id: rcId,
              ...fields,
              created_at: now,
              updated_at: now,
            })
            .execute();
        }
      }
      const gen = await this.providers.bump(trx, provider.id, provider.generation, uuid);
      return { provider: { ...provider, generation: gen }, inventories: await this.list(provider.id, trx) };
    }
  }

  /** Adds one class's inventory (POST .../inventories); 409 when the class already has one. */
  async add(
    uuid: string,
    resourceClass: string,
    fields: InventoryFields,
  ): Promise<{ provider: ProviderRecord; inventory: InventoryRecord }> {
    return writeTransaction(this.db, async (trx) => {
      const provider = await this.lockedProvider(trx, uuid, undefined);
      const rcId = await this.classes.idOf(resourceClass, trx);
      if (rcId === undefined) {
        throw new PlacementBadRequest(
          `Unable to create inventory for resource provider ${uuid}: No such resource class ${resourceClass}.`,
        );
      }
      const dup = await trx
        .selectFrom('inventories')
        .select('id')
        .where('resource_provider_id', '=', provider.id)
        .where('resource_class_id', '=', rcId)
        .executeTakeFirst();
      if (dup) {
        throw new PlacementConflict(
          `Update conflict: Inventory for '${resourceClass}' on resource provider '${uuid}' already exists.`,
          placementCodes.concurrentUpdate,
        );
      }
      const now = nowTimestamp();
      await trx
        .insertInto('inventories')
        .values({
          resource_provider_id: provider.id,
          resource_class_id: rcId,
          ...fields,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const gen = await this.providers.bump(trx, provider.id, provider.generation, uuid);
      const inventory = (await this.list(provider.id, trx)).find((i) => i.resourceClassId === rcId)!;
      return { provider: { ...provider, generation: gen }, inventory };
    });
  }

  /** Updates one class's inventory (PUT .../inventories/{rc}). */
  async update(
    uuid: string,
    generation: number,
    resourceClass: string,
    fields: InventoryFields,
  ): Promise<{ provider: ProviderRecord; inventory: InventoryRecord }> {
    return writeTransaction(this.db, async (trx) => {
      const provider = await this.lockedProvider(trx, uuid, generation);
      const { rcId, row } = await this.inventoryRow(trx, provider.id, resourceClass);
      if (!row || rcId === undefined) {
        throw new PlacementBadRequest(
          `No inventory record with resource class for resource provider ${uuid}: No inventory of class ${resourceClass} found.`,
        );
      }
      await trx
        .updateTable('inventories')
        .set({ ...fields, updated_at: nowTimestamp() })
        .where('id', '=', row.id)
        .execute();
      const gen = await this.providers.bump(trx, provider.id, provider.generation, uuid);
      const inventory = (await this.list(provider.id, trx)).find((i) => i.resourceClassId === rcId)!;
      return { provider: { ...provider, generation: gen }, inventory };
    });
  }

  /** Deletes one class's inventory; refuses while allocations use it. */
  async delete(uuid: string, resourceClass: string): Promise<void> {
    await writeTransaction(this.db, async (trx) => {
      const provider = await this.lockedProvider(trx, uuid, undefined);
      const { rcId, row } = await this.inventoryRow(trx, provider.id, resourceClass);
      if (!row || rcId === undefined) {
        throw new PlacementNotFound(
          `No inventory of class ${resourceClass} found for delete: No inventory of class ${resourceClass} found.`,
        );
      }
      await this.refuseInUse(
        trx,
        provider,
        [rcId],
        (msg) =>
          new PlacementConflict(
            `Unable to delete inventory of class ${resourceClass}: ${msg}`,
            placementCodes.concurrentUpdate,
          ),
      );
      await trx.deleteFrom('inventories').where('id', '=', row.id).execute();
      await this.providers.bump(trx, provider.id, provider.generation, uuid);
    });
  }

  /** The inventory row of one class on one provider, with the class's id (either may be absent). */
  private async inventoryRow(
    trx: Tx,
    providerId: number,
    resourceClass: string,
  ): Promise<{ rcId: number | undefined; row: { id: number } | undefined }> {
    const rcId = await this.classes.idOf(resourceClass, trx);
    const row =
      rcId === undefined
        ? undefined
        : await trx
            .selectFrom('inventories')
            .select('id')
            .where('resource_provider_id', '=', providerId)
            .where('resource_class_id', '=', rcId)
            .executeTakeFirst();
    return { rcId, row };
  }

  private async lockedProvider(
    trx: Tx,
    uuid: string,
    generation: number | undefined,
  ): Promise<ProviderRecord> {
    const provider = await this.providers.get(uuid, trx);
    await this.providers.lock(trx, [provider.id]);
    const fresh = await this.providers.get(uuid, trx);
    if (generation !== undefined && generation !== fresh.generation) {
      throw new PlacementConflict('resource provider generation conflict', placementCodes.concurrentUpdate);
    }
    return fresh;
  }

  private async refuseInUse(
    trx: Tx,
    provider: ProviderRecord,
    rcIds: number[],
    wrap: (msg: string) => Error,
  ): Promise<void> {
    const used = await trx
      .selectFrom('allocations')
      .select('resource_class_id')
      .where('resource_provider_id', '=', provider.id)
      .where('resource_class_id', 'in', rcIds)
      .groupBy('resource_class_id')
      .execute();
    if (!used.length) return;
    const names: string[] = [];
    for (const u of used) names.push(await this.classes.nameOf(u.resource_class_id, trx));
    throw wrap(`Inventory for '${names.join(', ')}' on resource provider '${provider.uuid}' in use.`);
  }
}
