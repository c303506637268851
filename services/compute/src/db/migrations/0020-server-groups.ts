import { type Migration, columnTypes as t } from '@nimbus/db';

/** Server groups (a scheduling policy and its rules) and their member servers. */
export const serverGroupsMigration: Migration = {
  id: '0020-server-groups',
  async up(db) {
    await db.schema
      .createTable('server_groups')
      .addColumn('uuid', t.id, (c) => c.primaryKey())
      .addColumn('name', t.name, (c) => c.notNull())
      .addColumn('project_id', t.name, (c) => c.notNull())
      .addColumn('user_id', t.name, (c) => c.notNull())
      .addColumn('policy', 'varchar(32)', (c) => c.notNull())
      .addColumn('rules', t.json, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('server_groups_project_idx')
      .on('server_groups')
      .column('project_id')
      .execute();
    await db.schema
      .createTable('server_group_members')
      .addColumn('group_uuid', t.id, (c) => c.notNull().references('server_groups.uuid').onDelete('cascade'))
      .addColumn('instance_uuid', t.id, (c) => c.notNull())
      .addPrimaryKeyConstraint('server_group_members_pk', ['group_uuid', 'instance_uuid'])
      .execute();
    await db.schema
      .createIndex('server_group_members_instance_idx')
      .on('server_group_members')
      .column('instance_uuid')
      .execute();
  },
};
