import { type Database, nowTimestamp, sqliteHandleOf } from '@nimbus/db';
import type { Selectable, Updateable } from 'kysely';
import { ConcurrentUpdate, ProviderGenerationRace } from '../manager/placement-errors';
import type { ResourceClasses } from '../manager/resource-classes';
import { checkCapacity } from './allocation-capacity';
import {
  AllocationTargetMissing,
  type ConsumerAllocations,
  checkConsumerGeneration,
  consumerRace,
} from './allocation-write';
import type { PlacementTables } from './placement-tables';
import { ProviderRepository } from './provider-repository';
import { SqliteClaims } from './sqlite-claims';
import { canLockRows, noteCommitted, type Tx, writeTransaction } from './write-transaction';

export { AllocationTargetMissing, type ConsumerAllocations } from './allocation-write';

/** One allocation row with names resolved. */
export interface AllocationRow {
  providerUuid: string;
  providerGeneration: number;
  consumerUuid: string;
  resourceClass: string;
  used: number;
  updatedAt: string;
  createdAt: string;
}

/** A consumer record. */
export interface ConsumerRecord {
  id: number;
  uuid: string;
  projectId: string;
  userId: string;
  generation: number;
  consumerType: string | null;
}

/** How an allocation write failed, for the handler's wording. */
export type AllocationFailure = 'not_found' | 'invalid';

/**
 * Allocations and consumers. A write replaces every allocation of the named consumers in one
 * transaction: providers locked (row locks on the servers; SQLite has one writer), capacity and
 * unit constraints checked against what is committed, rows written, provider and consumer
 * generations moved on. A lost generation race is retried `retries` times. On SQLite a plain
 * write (no reshaper hooks) takes the synchronous path of `SqliteClaims`, same checks and writes.
 */
export class AllocationRepository {
  private readonly providers: ProviderRepository;
  /** Consumer type ids by name: types are never deleted, so the map only grows. */
  private readonly consumerTypes = new Map<string, number>();
  /** The synchronous write path, on SQLite (null elsewhere; undefined until first asked). */
  private sqlite: SqliteClaims | null | undefined;

  constructor(
    private readonly db: Database<PlacementTables>,
    private readonly classes: ResourceClasses,
    private readonly retries: number,
  ) {
    this.providers = new ProviderRepository(db);
  }

  async byConsumer(consumerUuid: string): Promise<{ consumer?: ConsumerRecord; rows: AllocationRow[] }> {
    const consumer = await this.consumer(this.db.kysely, consumerUuid);
    const rows = await this.rows(this.db.kysely, 'a.consumer_id', consumerUuid);
    return { consumer, rows };
  }

  async byProvider(
    providerId: number,
  ): Promise<{ rows: AllocationRow[]; consumers: Map<string, ConsumerRecord> }> {
    const rows = await this.rows(this.db.kysely, 'a.resource_provider_id', providerId);
    const consumers = new Map<string, ConsumerRecord>();
    const uuids = [...new Set(rows.map((r) => r.consumerUuid))];
    if (uuids.length) {
      const found = await this.db.kysely
        .selectFrom('consumers')
        .selectAll()
        .where('uuid', 'in', uuids)
        .execute();
      for (const c of found) consumers.set(c.uuid, await this.toConsumer(c));
    }
    return { rows, consumers };
  }

  private async rows(
    trx: Tx,
    column: 'a.consumer_id' | 'a.resource_provider_id',
    value: string | number,
  ): Promise<AllocationRow[]> {
    const rows = await trx
      .selectFrom('allocations as a')
      .innerJoin('resource_providers as rp', 'rp.id', 'a.resource_provider_id')
      .select([
        'rp.uuid',
        'rp.generation',
        'a.consumer_id',
        'a.resource_class_id',
        'a.used',
        'a.created_at',
        'a.updated_at',
      ])
      .where(column, '=', value as never)
      .orderBy('a.id')
      .execute();
    const out: AllocationRow[] = [];
    for (const r of rows) {
      out.push({
        providerUuid: r.uuid,
        providerGeneration: r.generation,
        consumerUuid: r.consumer_id,
        resourceClass: await this.classes.nameOf(r.resource_class_id, trx),
        used: Number(r.used),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      });
    }
    return out;
  }

  private async consumer(trx: Tx, uuid: string): Promise<ConsumerRecord | undefined> {
    const c = await trx.selectFrom('consumers').selectAll().where('uuid', '=', uuid).executeTakeFirst();
    return c && this.toConsumer(c);
  }

  private async toConsumer(c: Selectable<PlacementTables['consumers']>): Promise<ConsumerRecord> {
    let type: string | null = null;
    if (c.consumer_type_id !== null) {
      const t = await this.db.kysely
        .selectFrom('consumer_types')
        .select('name')
        .where('id', '=', c.consumer_type_id)
        .executeTakeFirst();
      type = t?.name ?? null;
    }
    return {
      id: c.id,
      uuid: c.uuid,
      projectId: c.project_id,
      userId: c.user_id,
      generation: c.generation,
      consumerType: type,
    };
  }

  /** Replaces the allocations of every consumer given, atomically; retries lost generation races. */
  async replace(
    consumers: ConsumerAllocations[],
    beforeCheck?: (trx: Tx) => Promise<void>,
    afterWrite?: (trx: Tx) => Promise<void>,
  ): Promise<void> {
    // Consumer types are created first, on their own: racing creators must not fail the claim.
    const typeIds = new Map<string, number>();
    for (const c of consumers) {
      if (c.consumerType !== undefined && !typeIds.has(c.consumerType))
        typeIds.set(c.consumerType, await this.ensureConsumerType(c.consumerType));
    }
    // On SQLite a plain write runs synchronously over prepared statements (see SqliteClaims).
    const sqlite = !beforeCheck && !afterWrite ? this.sqliteClaims() : undefined;
    const rcIds = sqlite ? await this.classIds(consumers) : undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        // An open Kysely transaction owns the connection: then this write queues behind it.
        if (sqlite && rcIds && (await sqlite.submit(consumers, typeIds, rcIds))) {
          noteCommitted('allocations');
          return;
        }
        // The reshaper's hooks change inventories too.
        await writeTransaction(
          this.db,
          async (trx) => {
            await this.replaceOnce(trx, consumers, typeIds, beforeCheck);
            await afterWrite?.(trx);
          },
          beforeCheck || afterWrite ? 'any' : 'allocations',
        );
        return;
      } catch (err) {
        if (err instanceof ProviderGenerationRace && attempt < this.retries) continue;
        if (err instanceof ProviderGenerationRace) {
          throw new ConcurrentUpdate(
            'Inventory and/or allocations changed while attempting to allocate: Another thread concurrently updated the resource provider data. Please retry your update',
          );
        }
        throw err;
      }
    }
  }

  private sqliteClaims(): SqliteClaims | undefined {
    if (this.sqlite === undefined) {
      const handle = sqliteHandleOf(this.db);
      this.sqlite = handle ? new SqliteClaims(handle, this.classes) : null;
    }
    return this.sqlite ?? undefined;
  }

  /** The ids of the classes the allocations name (unknown ones are left out). */
  private async classIds(consumers: ConsumerAllocations[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const c of consumers) {
      for (const resources of c.allocations.values()) {
        for (const rc of resources.keys()) {
          if (ids.has(rc)) continue;
          const id = await this.classes.idOf(rc);
          if (id !== undefined) ids.set(rc, id);
        }
      }
    }
    return ids;
  }

  private async replaceOnce(
    trx: Tx,
    consumers: ConsumerAllocations[],
    typeIds: Map<string, number>,
    beforeCheck?: (trx: Tx) => Promise<void>,
  ): Promise<void> {
    const now = nowTimestamp();
    // Consumers first: generation checks come before anything else, as upstream.
    const records = new Map<
      string,
      {
        id: number;
        generation: number;
        isNew: boolean;
        typeId?: number | null;
        projectId?: string;
        userId?: string;
      }
    >();
    for (const c of consumers) {
      const existing = await trx
        .selectFrom('consumers')
        .selectAll()
        .where('uuid', '=', c.consumerUuid)
        .executeTakeFirst();
      const typeId = c.consumerType !== undefined ? typeIds.get(c.consumerType) : undefined;
      checkConsumerGeneration(existing, c);
      if (existing) {
        const sets: Updateable<PlacementTables['consumers']> = {};
        if (existing.project_id !== c.projectId || existing.user_id !== c.userId)
          Object.assign(sets, { project_id: c.projectId, user_id: c.userId });
        if (typeId !== undefined && typeId !== existing.consumer_type_id) sets.consumer_type_id = typeId;
        if (Object.keys(sets).length)
          await trx
            .updateTable('consumers')
            .set({ ...sets, updated_at: now })
            .where('id', '=', existing.id)
            .execute();
        records.set(c.consumerUuid, { id: existing.id, generation: existing.generation, isNew: false });
      } else {
        // A new consumer is written at the end, already at generation 1, when it holds anything.
        records.set(c.consumerUuid, {
          id: 0,
          generation: 0,
          isNew: true,
          typeId: typeId ?? null,
          projectId: c.projectId,
          userId: c.userId,
        });
      }
    }

    // Providers named in the new allocations, and those holding the consumers' current ones.
    const wantedUuids = new Set<string>();
    for (const c of consumers) for (const uuid of c.allocations.keys()) wantedUuids.add(uuid);
    const uuids = consumers.map((c) => c.consumerUuid);
    // Only existing consumers can hold allocations already.
    const existingUuids = uuids.filter((u) => !records.get(u)!.isNew);
    const oldRows = existingUuids.length
      ? await trx
          .selectFrom('allocations')
          .select(['resource_provider_id', 'resource_class_id', 'consumer_id'])
          .where('consumer_id', 'in', existingUuids)
          .execute()
      : [];
    const providerRows = wantedUuids.size
      ? await trx
          .selectFrom('resource_providers')
          .select(['id', 'uuid', 'generation'])
          .where('uuid', 'in', [...wantedUuids])
          .execute()
      : [];
    const idOf = new Map(providerRows.map((p) => [p.uuid, p.id]));
    for (const uuid of wantedUuids) {
      if (!idOf.has(uuid))
        throw new AllocationTargetMissing(`Allocation for resource provider '${uuid}' that does not exist.`);
    }
    const touched = [...new Set([...idOf.values(), ...oldRows.map((r) => r.resource_provider_id)])];
    const generations = new Map<number, { uuid: string; generation: number }>();
    // SQLite has one writer: what was just read stands. The servers lock the rows, then read.
    if (!canLockRows(this.db))
      for (const r of providerRows) generations.set(r.id, { uuid: r.uuid, generation: r.generation });
    else await this.providers.lock(trx, touched);
    const unread = touched.filter((id) => !generations.has(id));
    if (unread.length) {
      const rows = await trx
        .selectFrom('resource_providers')
        .select(['id', 'uuid', 'generation'])
        .where('id', 'in', unread)
        .execute();
      for (const r of rows) generations.set(r.id, { uuid: r.uuid, generation: r.generation });
    }

    // What is asked, per provider and class (the sum over consumers, for POST /allocations).
    const wanted: {
      consumer: string;
      providerId: number;
      providerUuid: string;
      rcId: number;
      rc: string;
      used: number;
    }[] = [];
    for (const c of consumers) {
      for (const [providerUuid, resources] of c.allocations) {
        for (const [rc, used] of resources) {
          const rcId = await this.classes.idOf(rc, trx);
          if (rcId === undefined) throw new AllocationTargetMissing(`No such resource class ${rc}.`);
          wanted.push({
            consumer: c.consumerUuid,
            providerId: idOf.get(providerUuid)!,
            providerUuid,
            rcId,
            rc,
            used,
          });
        }
      }
    }
    if (oldRows.length)
      await trx.deleteFrom('allocations').where('consumer_id', 'in', existingUuids).execute();
    // The reshaper moves inventories here, between taking allocations away and putting them back.
    await beforeCheck?.(trx);
    await checkCapacity(this.classes, trx, wanted);
    if (wanted.length) {
      await trx
        .insertInto('allocations')
        .values(
          wanted.map((w) => ({
            resource_provider_id: w.providerId,
            consumer_id: w.consumer,
            resource_class_id: w.rcId,
            used: w.used,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
    }

    // Generations: every provider receiving allocations (or losing them through an empty write).
    const bumped = new Set<number>(wanted.map((w) => w.providerId));
    for (const c of consumers)
      if (c.allocations.size === 0)
        for (const r of oldRows) if (r.consumer_id === c.consumerUuid) bumped.add(r.resource_provider_id);
    for (const id of [...bumped].sort((a, b) => a - b)) {
      const g = generations.get(id)!;
      // Read again: the reshaper's inventory writes in this transaction moved it already.
      const now = beforeCheck
        ? await trx
            .selectFrom('resource_providers')
            .select('generation')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        : g;
      await this.providers.bump(trx, id, now.generation, g.uuid);
    }
    for (const c of consumers) {
      const rec = records.get(c.consumerUuid)!;
      const holds = wanted.some((w) => w.consumer === c.consumerUuid);
      if (rec.isNew) {
        if (holds) {
          await trx
            .insertInto('consumers')
            .values({
              uuid: c.consumerUuid,
              project_id: rec.projectId!,
              user_id: rec.userId!,
              generation: 1,
              consumer_type_id: rec.typeId ?? null,
              created_at: now,
              updated_at: now,
            })
            .execute();
        }
        continue;
      }
      if (!holds) {
        await trx.deleteFrom('consumers').where('id', '=', rec.id).execute();
        continue;
      }
      const result = await trx
        .updateTable('consumers')
        .set({ generation: rec.generation + 1, updated_at: now })
        .where('id', '=', rec.id)
        .where('generation', '=', rec.generation)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw consumerRace();
    }
  }

  private async ensureConsumerType(name: string): Promise<number> {
    const cached = this.consumerTypes.get(name);
    if (cached !== undefined) return cached;
    const id = await this.createConsumerType(name);
    this.consumerTypes.set(name, id);
    return id;
  }

  private async createConsumerType(name: string): Promise<number> {
    const k = this.db.kysely;
    for (let attempt = 0; ; attempt++) {
      const row = await k
        .selectFrom('consumer_types')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirst();
      if (row) return row.id;
      const max = await k
        .selectFrom('consumer_types')
        .select((eb) => eb.fn.max('id').as('max'))
        .executeTakeFirst();
      const now = nowTimestamp();
      try {
        await k
          .insertInto('consumer_types')
          .values({ id: Number(max?.max ?? 0) + 1, name, created_at: now, updated_at: now })
          .execute();
      } catch (err) {
        if (attempt >= 10) throw err;
      }
    }
  }

  /** Deletes every allocation of a consumer and the consumer; false when it had none. */
  async deleteConsumer(consumerUuid: string): Promise<boolean> {
    return writeTransaction(
      this.db,
      async (trx) => {
        const result = await trx
          .deleteFrom('allocations')
          .where('consumer_id', '=', consumerUuid)
          .executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) return false;
        await trx.deleteFrom('consumers').where('uuid', '=', consumerUuid).execute();
        return true;
      },
      'allocations',
    );
  }
}
