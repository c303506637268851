import type { Migration } from '@nimbus/db';

/** Domain-specific configuration options (Keystone's whitelisted and sensitive config tables, as one). */
export const domainConfigMigration: Migration = {
  id: '0002-domain-config',
  async up(db) {
    await db.schema
      .createTable('domain_config')
      .addColumn('domain_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('group', 'varchar(255)', (c) => c.notNull())
      .addColumn('option', 'varchar(255)', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('sensitive', 'boolean', (c) => c.notNull())
      .addPrimaryKeyConstraint('domain_config_pk', ['domain_id', 'group', 'option'])
      .execute();
  },
};
