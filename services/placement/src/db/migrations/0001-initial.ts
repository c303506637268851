import { addSerialPrimaryKey, columnTypes, type Migration } from '@nimbus/db';

const ts = columnTypes.timestamp;

/**
 * Placement's tables, as upstream lays them out: providers (with their tree links and
 * generation), inventories, allocations, consumers (project, user, type, generation), resource
 * classes, traits, and provider-trait and provider-aggregate links.
 */
export const initialMigration: Migration = {
  id: '0001-initial',
  async up(db, dialect) {
    await addSerialPrimaryKey(db.schema.createTable('resource_providers'), dialect)
      .addColumn('uuid', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
      .addColumn('generation', 'integer', (c) => c.notNull())
      .addColumn('root_provider_id', 'integer')
      .addColumn('parent_provider_id', 'integer')
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rp_root_idx').on('resource_providers').column('root_provider_id').execute();
    await db.schema
      .createIndex('rp_parent_idx')
      .on('resource_providers')
      .column('parent_provider_id')
      .execute();
    // The change stamp of the candidate snapshot reads MAX(updated_at).
    await db.schema.createIndex('rp_updated_idx').on('resource_providers').column('updated_at').execute();

    await db.schema
      .createTable('resource_classes')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();

    await addSerialPrimaryKey(db.schema.createTable('traits'), dialect)
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();

    await addSerialPrimaryKey(db.schema.createTable('inventories'), dialect)
      .addColumn('resource_provider_id', 'integer', (c) => c.notNull())
      .addColumn('resource_class_id', 'integer', (c) => c.notNull())
      .addColumn('total', 'bigint', (c) => c.notNull())
      .addColumn('reserved', 'bigint', (c) => c.notNull())
      .addColumn('min_unit', 'bigint', (c) => c.notNull())
      .addColumn('max_unit', 'bigint', (c) => c.notNull())
      .addColumn('step_size', 'bigint', (c) => c.notNull())
      .addColumn('allocation_ratio', 'double precision', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addUniqueConstraint('inventories_rp_rc_uniq', ['resource_provider_id', 'resource_class_id'])
      .execute();
    await db.schema
      .createIndex('inventories_rc_idx')
      .on('inventories')
      .columns(['resource_class_id', 'resource_provider_id'])
      .execute();

    await addSerialPrimaryKey(db.schema.createTable('allocations'), dialect)
      .addColumn('resource_provider_id', 'integer', (c) => c.notNull())
      .addColumn('consumer_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('resource_class_id', 'integer', (c) => c.notNull())
      .addColumn('used', 'bigint', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('allocations_consumer_idx').on('allocations').column('consumer_id').execute();
    await db.schema
      .createIndex('allocations_rp_rc_idx')
      .on('allocations')
      .columns(['resource_provider_id', 'resource_class_id'])
      .execute();

    await db.schema
      .createTable('consumer_types')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();

    await addSerialPrimaryKey(db.schema.createTable('consumers'), dialect)
      .addColumn('uuid', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('generation', 'integer', (c) => c.notNull())
      .addColumn('consumer_type_id', 'integer')
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('consumers_project_user_idx')
      .on('consumers')
      .columns(['project_id', 'user_id'])
      .execute();

    await db.schema
      .createTable('resource_provider_traits')
      .addColumn('resource_provider_id', 'integer', (c) => c.notNull())
      .addColumn('trait_id', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('rp_traits_pk', ['resource_provider_id', 'trait_id'])
      .execute();
    await db.schema
      .createIndex('rp_traits_trait_idx')
      .on('resource_provider_traits')
      .column('trait_id')
      .execute();

    await db.schema
      .createTable('resource_provider_aggregates')
      .addColumn('resource_provider_id', 'integer', (c) => c.notNull())
      .addColumn('aggregate_uuid', 'varchar(36)', (c) => c.notNull())
      .addPrimaryKeyConstraint('rp_aggregates_pk', ['resource_provider_id', 'aggregate_uuid'])
      .execute();
    await db.schema
      .createIndex('rp_aggregates_agg_idx')
      .on('resource_provider_aggregates')
      .column('aggregate_uuid')
      .execute();
  },
};
