import { mapDriverError, nowTimestamp } from '@nimbus/db';
import { NimbusError } from '@nimbus/errors';
import type BetterSqlite3 from 'better-sqlite3';
import { ProviderGenerationRace } from '../manager/placement-errors';
import type { ResourceClasses } from '../manager/resource-classes';
import {
  assertCapacity,
  type CapacityInventory,
  type CapacityUsage,
  type WantedAmount,
} from './allocation-capacity';
import {
  AllocationTargetMissing,
  type ConsumerAllocations,
  checkConsumerGeneration,
  consumerRace,
} from './allocation-write';

type Statement = BetterSqlite3.Statement;

interface ConsumerRow {
  id: number;
  generation: number;
  project_id: string;
  user_id: string;
  consumer_type_id: number | null;
}

interface ProviderRow {
  id: number;
  uuid: string;
  generation: number;
}

type WriteFn = (
  consumers: ConsumerAllocations[],
  typeIds: Map<string, number>,
  rcIds: Map<string, number>,
) => void;

/** A write waiting for its batch. */
interface Pending {
  consumers: ConsumerAllocations[];
  typeIds: Map<string, number>;
  rcIds: Map<string, number>;
  resolve(done: boolean): void;
  reject(err: unknown): void;
}

/** Placement's own errors as thrown; driver errors as Nimbus errors. */
function mapped(err: unknown): unknown {
  return err instanceof NimbusError || err instanceof ProviderGenerationRace ? err : mapDriverError(err);
}

/** What one consumer is before the write. */
interface ConsumerState {
  existing?: ConsumerRow;
  typeId?: number;
}

/**
 * Allocation writes on SQLite as one synchronous transaction over prepared statements: the same
 * checks and writes as the general path (consumer generations, targets, capacity and unit
 * constraints, provider and consumer generations), without query building or a turn of the
 * event loop between statements. `BEGIN IMMEDIATE` takes SQLite's write lock before the first
 * read, so what is read stands until COMMIT, in this process and in any other on the same file.
 *
 * The connection is the one Kysely uses: a batch runs only while no Kysely transaction is open on
 * it (`handle.inTransaction`); otherwise its writes go back to the general path.
 */
export class SqliteClaims {
  private readonly s: Record<
    | 'consumer'
    | 'consumerUpdate'
    | 'consumerInsert'
    | 'consumerDelete'
    | 'consumerBump'
    | 'oldRows'
    | 'deleteRows'
    | 'providerByUuid'
    | 'providerById'
    | 'inventory'
    | 'usage'
    | 'insertRow'
    | 'bump',
    Statement
  >;
  /** One write in its own transaction, or, inside a batch's, under a savepoint. */
  private readonly write: WriteFn;
  /** A batch of writes in one transaction, each one's outcome recorded. */
  private readonly writeBatch: (batch: Pending[]) => unknown[];
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly handle: BetterSqlite3.Database,
    private readonly classes: ResourceClasses,
  ) {
    const p = (sql: string) => handle.prepare(sql);
    this.s = {
      consumer: p(
        'SELECT id, generation, project_id, user_id, consumer_type_id FROM consumers WHERE uuid = ?',
      ),
      consumerUpdate: p(
        'UPDATE consumers SET project_id = ?, user_id = ?, consumer_type_id = ?, updated_at = ? WHERE id = ?',
      ),
      consumerInsert: p(
        'INSERT INTO consumers (uuid, project_id, user_id, generation, consumer_type_id, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)',
      ),
      consumerDelete: p('DELETE FROM consumers WHERE id = ?'),
      consumerBump: p(
        'UPDATE consumers SET generation = generation + 1, updated_at = ? WHERE id = ? AND generation = ?',
      ),
      oldRows: p('SELECT resource_provider_id FROM allocations WHERE consumer_id = ?'),
      deleteRows: p('DELETE FROM allocations WHERE consumer_id = ?'),
      providerByUuid: p('SELECT id, uuid, generation FROM resource_providers WHERE uuid = ?'),
      providerById: p('SELECT id, uuid, generation FROM resource_providers WHERE id = ?'),
      inventory: p(
        'SELECT resource_provider_id, resource_class_id, total, reserved, allocation_ratio, min_unit, max_unit, step_size FROM inventories WHERE resource_provider_id = ? AND resource_class_id = ?',
      ),
      usage: p(
        'SELECT resource_provider_id, resource_class_id, SUM(used) AS used FROM allocations WHERE resource_provider_id = ? AND resource_class_id = ? GROUP BY resource_provider_id, resource_class_id',
      ),
      insertRow: p(
        'INSERT INTO allocations (resource_provider_id, consumer_id, resource_class_id, used, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      bump: p('UPDATE resource_providers SET generation = ?, updated_at = ? WHERE id = ? AND generation = ?'),
    };
    const write = handle.transaction(
      (consumers: ConsumerAllocations[], typeIds: Map<string, number>, rcIds: Map<string, number>) =>
        this.writeIn(consumers, typeIds, rcIds),
    );
    this.write = write.immediate;
    // Nested in the batch's transaction, each write is a savepoint: one failing undoes only itself.
    this.writeBatch = handle.transaction((batch: Pending[]) =>
      batch.map((p) => {
        try {
          write(p.consumers, p.typeIds, p.rcIds);
          return undefined;
        } catch (err) {
          return err ?? new Error('write failed');
        }
      }),
    ).immediate;
  }

  /**
   * Replaces the allocations of every consumer given, atomically. `typeIds` holds the id of every
   * consumer type named, `rcIds` the id of every class named that exists. Writes asked for in the
   * same turn of the event loop commit together (group commit: one WAL append for all), each
   * under its own savepoint, and each caller learns its own outcome once the batch committed.
   * Resolves false, having written nothing, when a Kysely transaction held the connection at
   * that moment (the caller then takes the general path). Rejects with what the general path
   * throws; driver errors come out mapped.
   */
  submit(
    consumers: ConsumerAllocations[],
    typeIds: Map<string, number>,
    rcIds: Map<string, number>,
  ): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ consumers, typeIds, rcIds, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (this.handle.inTransaction) {
      for (const p of batch) p.resolve(false);
      return;
    }
    let outcomes: unknown[];
    try {
      if (batch.length === 1) {
        const p = batch[0]!;
        outcomes = [undefined];
        try {
          this.write(p.consumers, p.typeIds, p.rcIds);
        } catch (err) {
          outcomes = [err ?? new Error('write failed')];
        }
      } else {
        outcomes = this.writeBatch(batch);
      }
    } catch (err) {
      for (const p of batch) p.reject(mapped(err));
      return;
    }
    for (const [i, p] of batch.entries()) {
      if (outcomes[i] === undefined) p.resolve(true);
      else p.reject(mapped(outcomes[i]));
    }
  }

  private writeIn(
    consumers: ConsumerAllocations[],
    typeIds: Map<string, number>,
    rcIds: Map<string, number>,
  ) {
    const s = this.s;
    const now = nowTimestamp();
    // Consumers first: generation checks come before anything else, as upstream.
    const states = new Map<string, ConsumerState>();
    for (const c of consumers) {
      const existing = s.consumer.get(c.consumerUuid) as ConsumerRow | undefined;
      checkConsumerGeneration(existing, c);
      const typeId = c.consumerType !== undefined ? typeIds.get(c.consumerType) : undefined;
      if (existing) {
        const moved = existing.project_id !== c.projectId || existing.user_id !== c.userId;
        const retyped = typeId !== undefined && typeId !== existing.consumer_type_id;
        if (moved || retyped)
          s.consumerUpdate.run(
            c.projectId,
            c.userId,
            retyped ? typeId : existing.consumer_type_id,
            now,
            existing.id,
          );
      }
      states.set(c.consumerUuid, {
        ...(existing ? { existing } : {}),
        ...(typeId !== undefined ? { typeId } : {}),
      });
    }

    // Providers named in the new allocations, and those holding the consumers' current ones.
    const oldProviders = new Map<string, number[]>();
    for (const c of consumers) {
      if (!states.get(c.consumerUuid)!.existing) continue;
      const rows = s.oldRows.all(c.consumerUuid) as { resource_provider_id: number }[];
      if (rows.length)
        oldProviders.set(
          c.consumerUuid,
          rows.map((r) => r.resource_provider_id),
        );
    }
    const byUuid = new Map<string, ProviderRow>();
    for (const c of consumers) {
      for (const uuid of c.allocations.keys()) {
        if (byUuid.has(uuid)) continue;
        const row = s.providerByUuid.get(uuid) as ProviderRow | undefined;
        if (!row)
          throw new AllocationTargetMissing(
            `Allocation for resource provider '${uuid}' that does not exist.`,
          );
        byUuid.set(uuid, row);
      }
    }
    const generations = new Map<number, ProviderRow>([...byUuid.values()].map((r) => [r.id, r]));
    for (const ids of oldProviders.values()) {
      for (const id of ids) {
        if (generations.has(id)) continue;
        const row = s.providerById.get(id) as ProviderRow | undefined;
        if (row) generations.set(id, row);
      }
    }

    // What is asked, per provider and class (the sum over consumers, for POST /allocations).
    const wanted: (WantedAmount & { consumer: string })[] = [];
    for (const c of consumers) {
      for (const [providerUuid, resources] of c.allocations) {
        for (const [rc, used] of resources) {
          const rcId = rcIds.get(rc);
          if (rcId === undefined) throw new AllocationTargetMissing(`No such resource class ${rc}.`);
          wanted.push({
            consumer: c.consumerUuid,
            providerId: byUuid.get(providerUuid)!.id,
            providerUuid,
            rcId,
            rc,
            used,
          });
        }
      }
    }
    for (const uuid of oldProviders.keys()) s.deleteRows.run(uuid);

    if (wanted.length) {
      const inventories: CapacityInventory[] = [];
      const usage: CapacityUsage[] = [];
      for (const providerId of new Set(wanted.map((w) => w.providerId))) {
        for (const rcId of new Set(wanted.map((w) => w.rcId))) {
          const inv = s.inventory.get(providerId, rcId) as CapacityInventory | undefined;
          if (inv) inventories.push(inv);
          const use = s.usage.get(providerId, rcId) as CapacityUsage | undefined;
          if (use) usage.push(use);
        }
      }
      assertCapacity(this.classes, wanted, inventories, usage);
      for (const w of wanted) s.insertRow.run(w.providerId, w.consumer, w.rcId, w.used, now, now);
    }

    // Generations: every provider receiving allocations (or losing them through an empty write).
    const bumped = new Set<number>(wanted.map((w) => w.providerId));
    for (const c of consumers)
      if (c.allocations.size === 0) for (const id of oldProviders.get(c.consumerUuid) ?? []) bumped.add(id);
    for (const id of [...bumped].sort((a, b) => a - b)) {
      const g = generations.get(id)!;
      if (s.bump.run(g.generation + 1, now, id, g.generation).changes !== 1)
        throw new ProviderGenerationRace(g.uuid);
    }
    for (const c of consumers) {
      const { existing, typeId } = states.get(c.consumerUuid)!;
      const holds = wanted.some((w) => w.consumer === c.consumerUuid);
      if (!existing) {
        if (holds) s.consumerInsert.run(c.consumerUuid, c.projectId, c.userId, typeId ?? null, now, now);
      } else if (!holds) {
        s.consumerDelete.run(existing.id);
      } else if (s.consumerBump.run(now, existing.id, existing.generation).changes !== 1) {
        throw consumerRace();
      }
    }
  }
}
