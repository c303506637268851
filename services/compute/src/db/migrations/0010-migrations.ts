import { addSerialPrimaryKey, type Migration, columnTypes as t } from '@nimbus/db';

/**
 * Migrations (resize, cold and live migration, evacuation): one row per move, its uuid the
 * placement consumer that holds the source allocation while the move is under way.
 */
export const migrationsMigration: Migration = {
  id: '0010-migrations',
  async up(db, dialect) {
    await addSerialPrimaryKey(db.schema.createTable('migrations'), dialect)
      .addColumn('uuid', t.id, (c) => c.notNull().unique())
      .addColumn('instance_uuid', t.id, (c) => c.notNull())
      .addColumn('migration_type', t.name, (c) => c.notNull())
      .addColumn('status', t.name, (c) => c.notNull())
      .addColumn('source_compute', t.name)
      .addColumn('source_node', t.name)
      .addColumn('dest_compute', t.name)
      .addColumn('dest_node', t.name)
      .addColumn('dest_host', t.name)
      .addColumn('old_flavor', t.json, (c) => c.notNull())
      .addColumn('new_flavor', t.json, (c) => c.notNull())
      .addColumn('old_vm_state', t.name, (c) => c.notNull())
      .addColumn('project_id', t.name, (c) => c.notNull())
      .addColumn('user_id', t.name, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp)
      .execute();
    await db.schema.createIndex('migrations_instance_idx').on('migrations').column('instance_uuid').execute();
  },
};
