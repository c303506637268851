import type { Migration } from '@nimbus/db';

/** Images, their additional properties, tags and members, as Glance keeps them. */
export const initialMigration: Migration = {
  id: '0001-initial',
  async up(db) {
    await db.schema
      .createTable('image')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(255)')
      .addColumn('status', 'varchar(30)', (c) => c.notNull())
      .addColumn('visibility', 'varchar(9)', (c) => c.notNull())
      .addColumn('protected', 'boolean', (c) => c.notNull())
      .addColumn('os_hidden', 'boolean', (c) => c.notNull())
      .addColumn('owner', 'varchar(255)')
      .addColumn('size', 'bigint')
      .addColumn('virtual_size', 'bigint')
      .addColumn('disk_format', 'varchar(20)')
      .addColumn('container_format', 'varchar(20)')
      .addColumn('min_disk', 'integer', (c) => c.notNull())
      .addColumn('min_ram', 'integer', (c) => c.notNull())
      .addColumn('checksum', 'varchar(32)')
      .addColumn('os_hash_algo', 'varchar(64)')
      .addColumn('os_hash_value', 'varchar(128)')
      .addColumn('location', 'text')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('deleted_at', 'varchar(32)')
      .execute();
    await db.schema.createIndex('image_owner_idx').on('image').column('owner').execute();
    await db.schema
      .createTable('image_property')
      .addColumn('image_id', 'varchar(36)', (c) => c.notNull().references('image.id').onDelete('cascade'))
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('image_property_pk', ['image_id', 'name'])
      .execute();
    await db.schema
      .createTable('image_tag')
      .addColumn('image_id', 'varchar(36)', (c) => c.notNull().references('image.id').onDelete('cascade'))
      .addColumn('value', 'varchar(255)', (c) => c.notNull())
      .addPrimaryKeyConstraint('image_tag_pk', ['image_id', 'value'])
      .execute();
    await db.schema
      .createTable('image_member')
      .addColumn('image_id', 'varchar(36)', (c) => c.notNull().references('image.id').onDelete('cascade'))
      .addColumn('member', 'varchar(255)', (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('image_member_pk', ['image_id', 'member'])
      .execute();
    await db.schema.createIndex('image_member_member_idx').on('image_member').column('member').execute();
  },
};
