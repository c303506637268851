import { randomUUID } from 'node:crypto';
import { type Database, migrate, nowTimestamp, openDatabase } from '@nimbus/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResourceClasses } from '../manager/resource-classes';
import { AllocationRepository } from './allocation-repository';
import { CandidateSnapshots } from './candidate-snapshot';
import { placementMigrations } from './migrations/index';
import type { PlacementTables } from './placement-tables';
import { writeTransaction } from './write-transaction';

// A claim changes only usage: the next search reads usage again and keeps the rest; any other
// write (here an inventory change) makes it read everything.
describe('candidate snapshots on SQLite', () => {
  let db: Database<PlacementTables>;
  let repo: AllocationRepository;
  let snapshots: CandidateSnapshots;
  let rp: string;
  let rpId: number;
  let vcpu: number;

  beforeEach(async () => {
    db = await openDatabase<PlacementTables>({ url: 'sqlite::memory:', service: 'placement' });
    await migrate(db, placementMigrations);
    const classes = new ResourceClasses(db);
    await classes.syncStandard();
    repo = new AllocationRepository(db, classes, 10);
    snapshots = new CandidateSnapshots(db);
    rp = randomUUID();
    const now = nowTimestamp();
    await db.kysely
      .insertInto('resource_providers')
      .values({ uuid: rp, name: 'rp', generation: 0, created_at: now, updated_at: now })
      .execute();
    rpId = (
      await db.kysely
        .selectFrom('resource_providers')
        .select('id')
        .where('uuid', '=', rp)
        .executeTakeFirstOrThrow()
    ).id;
    vcpu = (await classes.idOf('VCPU'))!;
    await db.kysely
      .insertInto('inventories')
      .values({
        resource_provider_id: rpId,
        resource_class_id: vcpu,
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

  const claim = (amount: number) =>
    repo.replace([
      {
        consumerUuid: randomUUID(),
        allocations: new Map([[rp, new Map([['VCPU', amount]])]]),
        projectId: 'p',
        userId: 'u',
        consumerGeneration: null,
        checkGeneration: true,
      },
    ]);
  const vcpuOf = async () => (await snapshots.current()).byUuid.get(rp)!.inventory.get(vcpu)!;

  it('follows claims and releases with fresh objects, keeping earlier snapshots whole', async () => {
    const first = await snapshots.current();
    expect(first.byUuid.get(rp)!.inventory.get(vcpu)!.used).toBe(0);
    expect(await snapshots.current()).toBe(first);
    await claim(3);
    const second = await snapshots.current();
    expect(second).not.toBe(first);
    expect(second.byUuid.get(rp)!.inventory.get(vcpu)).toMatchObject({ total: 4, used: 3 });
    expect(second.trees.get(rpId)![0]).toBe(second.providers.get(rpId));
    // Only usage was read again: the provider's traits and aggregates are the same objects.
    expect(second.providers.get(rpId)!.traitIds).toBe(first.providers.get(rpId)!.traitIds);
    expect(first.byUuid.get(rp)!.inventory.get(vcpu)!.used).toBe(0);
    const consumer = (await db.kysely.selectFrom('consumers').select('uuid').executeTakeFirstOrThrow()).uuid;
    await repo.deleteConsumer(consumer);
    expect((await vcpuOf()).used).toBe(0);
  });

  it('reads everything again after a write that is not a claim', async () => {
    await claim(1);
    expect(await vcpuOf()).toMatchObject({ total: 4, used: 1 });
    const before = await snapshots.current();
    await writeTransaction(db, async (trx) => {
      await trx
        .updateTable('inventories')
        .set({ total: 8 })
        .where('resource_provider_id', '=', rpId)
        .execute();
      await trx
        .updateTable('resource_providers')
        .set({ generation: 2, updated_at: nowTimestamp() })
        .where('id', '=', rpId)
        .execute();
    });
    expect(await vcpuOf()).toMatchObject({ total: 8, used: 1 });
    expect((await snapshots.current()).providers.get(rpId)!.traitIds).not.toBe(
      before.providers.get(rpId)!.traitIds,
    );
  });
});
