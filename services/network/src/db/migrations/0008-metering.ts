import type { Migration } from '@nimbus/db';

/**
 * Metering (`metering`): labels and the rules that pick the traffic each label counts. Neither
 * has standard attributes upstream; the columns exist so the shared resource store can keep them.
 */
export const meteringMigration: Migration = {
  id: '0008-metering',
  async up(db) {
    await db.schema
      .createTable('metering_labels')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('project_id', 'varchar(255)')
      .addColumn('name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('description', 'varchar(1024)', (c) => c.notNull().defaultTo(''))
      .addColumn('shared', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('revision_number', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('metering_label_rules')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('project_id', 'varchar(255)')
      .addColumn('metering_label_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('direction', 'varchar(16)', (c) => c.notNull())
      .addColumn('excluded', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('remote_ip_prefix', 'varchar(64)')
      .addColumn('source_ip_prefix', 'varchar(64)')
      .addColumn('destination_ip_prefix', 'varchar(64)')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('revision_number', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('metering_label_rules_label_idx')
      .on('metering_label_rules')
      .column('metering_label_id')
      .execute();
  },
};
