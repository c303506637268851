import { allDialects, type Database, migrate, openTestDatabase } from '@nimbus/db';
import { describe, expect, it } from 'vitest';
import { initialMigration } from './migrations/0001-initial';
import { usageAndPagingMigration } from './migrations/0002-usage-and-paging';
import { blockStorageMigrations } from './migrations/index';
import type { BlockStorageTables } from './record-store';
import type { SnapshotRecord, VolumeRecord } from './records';
import { Stores } from './stores';
import { COUNTED_KINDS, hostScope, projectScope, usageDelta } from './usage-counters';

const volume = (id: string, over: Partial<VolumeRecord> = {}): VolumeRecord =>
  ({
    id,
    project_id: 'p1',
    user_id: 'u1',
    status: 'creating',
    name: null,
    size: 1,
    volume_type_id: 't1',
    host: null,
    created_at: '2026-01-01T00:00:00.000000',
    ...over,
  }) as VolumeRecord;

const snapshot = (id: string, volumeId: string, size: number): SnapshotRecord =>
  ({
    id,
    project_id: 'p1',
    user_id: 'u1',
    status: 'creating',
    name: null,
    volume_id: volumeId,
    volume_size: size,
    volume_type_id: 't1',
    created_at: '2026-01-01T00:00:00.000000',
  }) as SnapshotRecord;

/** The counters recounted from every counted record, as the old code did on each request. */
async function recount(db: Database<BlockStorageTables>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const rows = await db.kysely.selectFrom('cinder_records').select(['kind', 'doc']).execute();
  for (const r of rows) {
    const usageOf = COUNTED_KINDS[r.kind];
    if (!usageOf) continue;
    for (const s of usageDelta(usageOf, undefined, JSON.parse(r.doc) as never)) {
      const k = `${s.scope} ${s.resource}`;
      out[k] = (out[k] ?? 0) + s.amount;
    }
  }
  return out;
}

async function counters(db: Database<BlockStorageTables>): Promise<Record<string, number>> {
  const rows = await db.kysely.selectFrom('cinder_usage').selectAll().execute();
  return Object.fromEntries(
    rows.filter((r) => Number(r.in_use) !== 0).map((r) => [`${r.scope} ${r.resource}`, Number(r.in_use)]),
  );
}

for (const dialect of allDialects) {
  describe(`block-storage records on ${dialect}`, () => {
    it('moves the usage counters with every write, in step with a recount', async () => {
      const db = await openTestDatabase<BlockStorageTables>(dialect, 'block_storage');
      try {
        await migrate(db, blockStorageMigrations);
        const stores = new Stores(db);
        await stores.volumes.insert(volume('v1', { size: 2 }));
        await stores.volumes.insert(volume('v2', { size: 3, volume_type_id: 't2' }));
        await stores.volumes.update('v1', () => ({ host: 'h@fake#fake', status: 'available' }));
        await stores.volumes.update('v1', () => ({ size: 5 }));
        await stores.snapshots.insert(snapshot('s1', 'v1', 5));
        const v2 = await stores.volumes.get('v2');
        await stores.volumes.put({ ...v2!, project_id: 'p2' });
        await stores.backups.insert({
          id: 'b1',
          project_id: 'p1',
          volume_id: 'v1',
          size: 5,
          created_at: '2026-01-01T00:00:00.000000',
        } as never);

        const p1 = await stores.usage.read(projectScope('p1'));
        expect(p1).toMatchObject({ volumes: 1, gigabytes: 10, 'volumes@t1': 1, snapshots: 1, backups: 1 });
        expect(p1['volumes@t2']).toBe(0);
        expect(await stores.usage.read(projectScope('p2'))).toMatchObject({ volumes: 1, 'gigabytes@t2': 3 });
        expect(await stores.usage.read(hostScope('h@fake#fake'))).toEqual({ volumes: 1, gigabytes: 5 });
        expect(await counters(db)).toEqual(await recount(db));

        await stores.snapshots.delete('s1');
        await stores.volumes.delete('v1');
        await stores.volumes.delete('v1');
        expect((await stores.usage.readPrefixed('host:')).get(hostScope('h@fake#fake'))).toEqual({
          volumes: 0,
          gigabytes: 0,
        });
        expect(await counters(db)).toEqual(await recount(db));
        expect(await stores.backups.byParent(['v1', 'v9'])).toHaveLength(1);
      } finally {
        await db.close();
      }
    });

    it('counts the records and finds the parents of a database made before the counters', async () => {
      const db = await openTestDatabase<BlockStorageTables>(dialect, 'block_storage');
      try {
        await migrate(db, [initialMigration]);
        const row = <D extends { id: string }>(kind: string, doc: D) => ({
          kind,
          id: doc.id,
          project_id: 'p1',
          status: 'available',
          name: null,
          created_at: '2026-01-01T00:00:00.000000',
          updated_at: null,
          doc: JSON.stringify(doc),
        });
        const old = db.kysely as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>;
        await old
          .insertInto('cinder_records')
          .values([
            row('volume', volume('v1', { size: 4, host: 'h@file#file' })),
            row('snapshot', snapshot('s1', 'v1', 4)),
            row('attachment', { id: 'a1', volume_id: 'v1', project_id: 'p1' }),
          ])
          .execute();
        await migrate(db, [initialMigration, usageAndPagingMigration]);
        const stores = new Stores(db);
        expect(await stores.usage.read(projectScope('p1'))).toEqual({
          volumes: 1,
          gigabytes: 8,
          'volumes@t1': 1,
          'gigabytes@t1': 8,
          snapshots: 1,
          'snapshots@t1': 1,
        });
        expect(await stores.usage.read(hostScope('h@file#file'))).toEqual({ volumes: 1, gigabytes: 4 });
        expect((await stores.attachments.byParent(['v1'])).map((a) => a.id)).toEqual(['a1']);
        expect((await stores.snapshots.byParent(['v1'])).map((s) => s.id)).toEqual(['s1']);
      } finally {
        await db.close();
      }
    });

    it('pages in SQL from a marker as the in-memory sort would, ties broken by id', async () => {
      const db = await openTestDatabase<BlockStorageTables>(dialect, 'block_storage');
      try {
        await migrate(db, blockStorageMigrations);
        const stores = new Stores(db);
        const all: VolumeRecord[] = [];
        for (let i = 0; i < 9; i++) {
          const v = volume(`v${(i * 7) % 9}`, {
            created_at: `2026-01-01T00:00:0${i % 3}.000000`,
            status: i % 2 ? 'available' : 'error',
            project_id: i === 8 ? 'p2' : 'p1',
          });
          all.push(v);
          await stores.volumes.insert(v);
        }
        const mine = all.filter((v) => v.project_id === 'p1');
        const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
        const expected = [...mine]
          .sort((a, b) => cmp(a.status, b.status) || -cmp(a.created_at, b.created_at) || -cmp(a.id, b.id))
          .map((v) => v.id);
        const sort = [
          { key: 'status', dir: 'asc' },
          { key: 'created_at', dir: 'desc' },
          { key: 'id', dir: 'desc' },
        ] as const;
        const seen: string[] = [];
        let marker: string | undefined;
        for (;;) {
          const page = await stores.volumes.page({
            projectId: 'p1',
            sort: [...sort],
            limit: 3,
            ...(marker ? { marker } : {}),
          });
          if (!page?.length) break;
          seen.push(...page.map((v) => v.id));
          marker = page[page.length - 1]?.id;
        }
        expect(seen).toEqual(expected);
        const errors = await stores.volumes.page({
          projectId: 'p1',
          equals: { status: 'error' },
          sort: [{ key: 'id', dir: 'asc' }],
          limit: 10,
          offset: 1,
        });
        const errorIds = mine.filter((v) => v.status === 'error').map((v) => v.id);
        expect(errors?.map((v) => v.id)).toEqual(errorIds.sort().slice(1));
        expect(await stores.volumes.countWhere({ projectId: 'p1', equals: { status: 'error' } })).toBe(
          errorIds.length,
        );
        const other = all.find((v) => v.project_id === 'p2')?.id;
        expect(await stores.volumes.page({ projectId: 'p1', sort: [...sort], limit: 3, marker: other })).toBe(
          undefined,
        );
      } finally {
        await db.close();
      }
    });
  });
}
