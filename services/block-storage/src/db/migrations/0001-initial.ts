import type { Migration } from '@nimbus/db';

/**
 * Cinder's records as one table of typed rows: the columns lists filter and sort on, and the
 * rest of each record as JSON. `kind` names the resource (volume, snapshot, backup, type, ...).
 * Status changes are conditional updates on the `status` column (Cinder's `conditional_update`).
 */
export const initialMigration: Migration = {
  id: '0001-initial',
  async up(db) {
    await db.schema
      .createTable('cinder_records')
      .addColumn('kind', 'varchar(32)', (c) => c.notNull())
      .addColumn('id', 'varchar(64)', (c) => c.notNull())
      .addColumn('project_id', 'varchar(255)')
      .addColumn('status', 'varchar(32)')
      .addColumn('name', 'varchar(255)')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)')
      .addColumn('doc', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('cinder_records_pk', ['kind', 'id'])
      .execute();
    await db.schema
      .createIndex('cinder_records_project_idx')
      .on('cinder_records')
      .columns(['kind', 'project_id', 'created_at'])
      .execute();
  },
};
