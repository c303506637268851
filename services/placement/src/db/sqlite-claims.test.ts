import { randomUUID } from 'node:crypto';
import { type Database, migrate, nowTimestamp, openDatabase, sqliteHandleOf } from '@nimbus/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlacementConflict } from '../manager/placement-errors';
import { ResourceClasses } from '../manager/resource-classes';
import { InvalidAllocation } from './allocation-capacity';
import { AllocationRepository } from './allocation-repository';
import type { ConsumerAllocations } from './allocation-write';
import { placementMigrations } from './migrations/index';
import type { PlacementTables } from './placement-tables';

// The synchronous SQLite write path commits the writes asked for in one turn of the event loop
// together, each under its own savepoint: a refused write must undo only itself.
describe('allocation writes on SQLite, batched', () => {
  let db: Database<PlacementTables>;
  let repo: AllocationRepository;
  let rp: string;

  beforeEach(async () => {
    db = await openDatabase<PlacementTables>({ url: 'sqlite::memory:', service: 'placement' });
    await migrate(db, placementMigrations);
    const classes = new ResourceClasses(db);
    await classes.syncStandard();
    repo = new AllocationRepository(db, classes, 10);
    rp = randomUUID();
    const now = nowTimestamp();
    await db.kysely
      .insertInto('resource_providers')
      .values({ uuid: rp, name: 'rp', generation: 0, created_at: now, updated_at: now })
      .execute();
    const { id } = await db.kysely
      .selectFrom('resource_providers')
      .select('id')
      .where('uuid', '=', rp)
      .executeTakeFirstOrThrow();
    await db.kysely
      .insertInto('inventories')
      .values({
        resource_provider_id: id,
        resource_class_id: (await classes.idOf('VCPU'))!,
        total: 4,
        reserved: 0,
        min_unit: 1,
        max_unit: 4,
        step_size: 1,
        allocation_ratio: 1,
        created_at: now,
        updated_at: now,
      } as never)
      .execute();
  });
  afterEach(async () => {
    await db.close();
  });

  const claim = (vcpu: number, consumerGeneration: number | null = null): ConsumerAllocations => ({
    consumerUuid: randomUUID(),
    allocations: new Map([[rp, new Map([['VCPU', vcpu]])]]),
    projectId: 'p',
    userId: 'u',
    consumerGeneration,
    checkGeneration: true,
  });
  const usage = async () =>
    Number(
      (
        await db.kysely
          .selectFrom('allocations')
          .select((eb) => eb.fn.sum<number>('used').as('used'))
          .executeTakeFirstOrThrow()
      ).used ?? 0,
    );
  const generation = async () =>
    (await db.kysely.selectFrom('resource_providers').select('generation').executeTakeFirstOrThrow())
      .generation;

  it('commits the writes that fit and refuses, alone, the one that does not', async () => {
    const outcomes = await Promise.allSettled([
      repo.replace([claim(2)]),
      repo.replace([claim(3)]),
      repo.replace([claim(1)]),
      repo.replace([claim(1, 7)]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(InvalidAllocation);
    expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(PlacementConflict);
    expect(await usage()).toBe(3);
    expect(await generation()).toBe(2);
    expect(await db.kysely.selectFrom('consumers').select('uuid').execute()).toHaveLength(2);
  });

  it('waits for an open Kysely transaction instead of writing inside it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let opened!: () => void;
    const open = new Promise<void>((r) => {
      opened = r;
    });
    // Another writer's transaction holds SQLite's one connection and then rolls back.
    const other = db.kysely
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('resource_providers').set({ generation: 100 }).execute();
        opened();
        await gate;
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await open;
    expect(sqliteHandleOf(db)!.inTransaction).toBe(true);
    const write = repo.replace([claim(2)]);
    setTimeout(release, 20);
    await write;
    await other;
    // The claim was not swept into the rolled-back transaction.
    expect(await usage()).toBe(2);
    expect(await generation()).toBe(1);
  });
});
