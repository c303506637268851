import type { Migration } from '@nimbus/db';

/** Address groups (`address-group`): named sets of CIDRs security group rules may point at. */
export const addressGroupsMigration: Migration = {
  id: '0011-address-groups',
  async up(db) {
    await db.schema
      .createTable('address_groups')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('project_id', 'varchar(255)')
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('description', 'varchar(255)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('revision_number', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('address_associations')
      .addColumn('address_group_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('address', 'varchar(64)', (c) => c.notNull())
      .addPrimaryKeyConstraint('address_associations_pk', ['address_group_id', 'address'])
      .execute();
  },
};
