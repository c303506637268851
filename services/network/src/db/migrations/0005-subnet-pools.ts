import type { Migration } from '@nimbus/db';
import type { CreateTableBuilder } from 'kysely';

type Table = CreateTableBuilder<string, never>;

const standard = (t: Table): Table =>
  t
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(255)')
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('description', 'varchar(255)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('revision_number', 'bigint', (c) => c.notNull());

/** Address scopes and subnet pools (their prefixes a JSON list, kept merged). */
export const subnetPoolsMigration: Migration = {
  id: '0005-subnet-pools',
  async up(db) {
    await standard(db.schema.createTable('address_scopes') as Table)
      .addColumn('shared', 'boolean', (c) => c.notNull())
      .addColumn('ip_version', 'integer', (c) => c.notNull())
      .execute();
    await standard(db.schema.createTable('subnetpools') as Table)
      .addColumn('ip_version', 'integer', (c) => c.notNull())
      .addColumn('prefixes', 'text', (c) => c.notNull())
      .addColumn('default_quota', 'integer')
      .addColumn('default_prefixlen', 'integer', (c) => c.notNull())
      .addColumn('min_prefixlen', 'integer', (c) => c.notNull())
      .addColumn('max_prefixlen', 'integer', (c) => c.notNull())
      .addColumn('is_default', 'boolean', (c) => c.notNull())
      .addColumn('shared', 'boolean', (c) => c.notNull())
      .addColumn('address_scope_id', 'varchar(36)')
      .execute();
    await db.schema.createIndex('subnets_subnetpool_idx').on('subnets').column('subnetpool_id').execute();
  },
};
