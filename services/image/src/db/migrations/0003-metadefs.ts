import { type Migration, nowTimestamp } from '@nimbus/db';

/** The resource types OpenStack's standard metadata definitions apply to. */
const STANDARD_RESOURCE_TYPES = [
  'OS::Glance::Image',
  'OS::Glance::Snapshot',
  'OS::Cinder::Volume',
  'OS::Nova::Flavor',
  'OS::Nova::Aggregate',
  'OS::Nova::Server',
  'OS::Trove::Instance',
];

/**
 * Metadata definitions: a namespace is one document (its objects, properties and tags live in
 * it, edited under a transaction), resource types, and the namespaces' associations with them.
 */
export const metadefsMigration: Migration = {
  id: '0003-metadefs',
  async up(db) {
    await db.schema
      .createTable('metadef_namespace')
      .addColumn('namespace', 'varchar(80)', (c) => c.primaryKey())
      .addColumn('display_name', 'varchar(80)')
      .addColumn('description', 'text')
      .addColumn('visibility', 'varchar(32)', (c) => c.notNull())
      .addColumn('protected', 'boolean', (c) => c.notNull())
      .addColumn('owner', 'varchar(255)')
      .addColumn('objects', 'text', (c) => c.notNull())
      .addColumn('properties', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('metadef_resource_type')
      .addColumn('name', 'varchar(80)', (c) => c.primaryKey())
      .addColumn('protected', 'boolean', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('metadef_association')
      .addColumn('namespace', 'varchar(80)', (c) =>
        c.notNull().references('metadef_namespace.namespace').onDelete('cascade'),
      )
      .addColumn('resource_type', 'varchar(80)', (c) => c.notNull())
      .addColumn('prefix', 'varchar(80)')
      .addColumn('properties_target', 'varchar(80)')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('metadef_association_pk', ['namespace', 'resource_type'])
      .execute();
    const now = nowTimestamp();
    for (const name of STANDARD_RESOURCE_TYPES)
      await db
        .insertInto('metadef_resource_type')
        .values({ name, protected: true, created_at: now, updated_at: now })
        .execute();
  },
};
