import type { Migration } from '@nimbus/db';

/** Per-project quota limits that differ from the defaults (Neutron's `quotas`). */
export const quotasMigration: Migration = {
  id: '0002-quotas',
  async up(db) {
    await db.schema
      .createTable('quotas')
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('resource', 'varchar(255)', (c) => c.notNull())
      .addColumn('limit', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('quotas_pk', ['project_id', 'resource'])
      .execute();
  },
};
