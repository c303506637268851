import type { Migration } from '@nimbus/db';

/**
 * Trunks (`trunk`): a parent port carrying subports, each told apart by a segmentation type and
 * id. A port is in at most one trunk (primary keys); segmentation details are unique per trunk.
 */
export const trunksMigration: Migration = {
  id: '0012-trunks',
  async up(db) {
    await db.schema
      .createTable('trunks')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('project_id', 'varchar(255)')
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('description', 'varchar(255)', (c) => c.notNull())
      .addColumn('admin_state_up', 'boolean', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('port_id', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('revision_number', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('subports')
      .addColumn('port_id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('trunk_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('segmentation_type', 'varchar(32)', (c) => c.notNull())
      .addColumn('segmentation_id', 'integer', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addUniqueConstraint('subports_segmentation_uq', ['trunk_id', 'segmentation_type', 'segmentation_id'])
      .execute();
  },
};
