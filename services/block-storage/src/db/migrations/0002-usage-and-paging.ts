import type { Migration } from '@nimbus/db';
import { COUNTED_KINDS, PARENT_OF, usageDelta } from '../usage-counters';

/**
 * Quota usage and per-pool allocation as counters (`cinder_usage`), kept in the transaction that
 * writes each counted record, as Cinder's `quota_usages`; a `parent_id` column (a snapshot's,
 * backup's, attachment's or transfer's volume) so children are found by index; and the indexes
 * keyset paging walks (`created_at`, `id` within a kind, with or without the project). Existing
 * rows are counted and given their parent once, here.
 */
export const usageAndPagingMigration: Migration = {
  id: '0002-usage-and-paging',
  async up(db, dialect) {
    await db.schema
      .createTable('cinder_usage')
      .addColumn('scope', 'varchar(320)', (c) => c.notNull())
      .addColumn('resource', 'varchar(320)', (c) => c.notNull())
      .addColumn('in_use', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('cinder_usage_pk', ['scope', 'resource'])
      .execute();
    await db.schema.alterTable('cinder_records').addColumn('parent_id', 'varchar(64)').execute();
    await db.schema
      .createIndex('cinder_records_parent_idx')
      .on('cinder_records')
      .columns(['kind', 'parent_id'])
      .execute();
    const drop = db.schema.dropIndex('cinder_records_project_idx');
    await (dialect === 'mariadb' ? drop.on('cinder_records') : drop).execute();
    await db.schema
      .createIndex('cinder_records_project_idx')
      .on('cinder_records')
      .columns(['kind', 'project_id', 'created_at', 'id'])
      .execute();
    await db.schema
      .createIndex('cinder_records_created_idx')
      .on('cinder_records')
      .columns(['kind', 'created_at', 'id'])
      .execute();

    const totals = new Map<string, { scope: string; resource: string; in_use: number }>();
    const rows = (await db.selectFrom('cinder_records').select(['kind', 'id', 'doc']).execute()) as {
      kind: string;
      id: string;
      doc: string;
    }[];
    for (const row of rows) {
      const doc = JSON.parse(row.doc) as Record<string, unknown>;
      const parentOf = PARENT_OF[row.kind];
      if (parentOf) {
        await db
          .updateTable('cinder_records')
          .set({ parent_id: parentOf(doc) })
          .where('kind', '=', row.kind)
          .where('id', '=', row.id)
          .execute();
      }
      const usageOf = COUNTED_KINDS[row.kind];
      if (!usageOf) continue;
      for (const s of usageDelta(usageOf, undefined, doc as never)) {
        const key = `${s.scope}\u0000${s.resource}`;
        const cur = totals.get(key) ?? { scope: s.scope, resource: s.resource, in_use: 0 };
        cur.in_use += s.amount;
        totals.set(key, cur);
      }
    }
    for (const t of totals.values()) await db.insertInto('cinder_usage').values(t).execute();
  },
};
