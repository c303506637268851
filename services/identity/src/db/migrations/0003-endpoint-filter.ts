import type { Migration } from '@nimbus/db';

/** OS-EP-FILTER: endpoint groups and the projects they (or single endpoints) are associated with. */
export const endpointFilterMigration: Migration = {
  id: '0003-endpoint-filter',
  async up(db) {
    await db.schema
      .createTable('endpoint_group')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('filters', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('project_endpoint_group')
      .addColumn('endpoint_group_id', 'varchar(64)', (c) =>
        c.notNull().references('endpoint_group.id').onDelete('cascade'),
      )
      .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
      .addPrimaryKeyConstraint('project_endpoint_group_pk', ['endpoint_group_id', 'project_id'])
      .execute();
    await db.schema
      .createTable('project_endpoint')
      .addColumn('endpoint_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
      .addPrimaryKeyConstraint('project_endpoint_pk', ['endpoint_id', 'project_id'])
      .execute();
  },
};
