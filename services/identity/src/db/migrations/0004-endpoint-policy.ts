import type { Migration } from '@nimbus/db';

/**
 * OS-ENDPOINT-POLICY: a policy blob associated with one endpoint, a service, or a service in a
 * region. Exactly one of the three shapes a row; an association goes when its endpoint, service or
 * region goes (the policy blob lives in the extension tables: its deletion clears them in code).
 */
export const endpointPolicyMigration: Migration = {
  id: '0004-endpoint-policy',
  async up(db) {
    await db.schema
      .createTable('policy_association')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('policy_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('endpoint_id', 'varchar(64)', (c) => c.references('endpoint.id').onDelete('cascade'))
      .addColumn('service_id', 'varchar(64)', (c) => c.references('service.id').onDelete('cascade'))
      .addColumn('region_id', 'varchar(255)', (c) => c.references('region.id').onDelete('cascade'))
      .execute();
    await db.schema
      .createIndex('policy_association_target')
      .on('policy_association')
      .columns(['endpoint_id', 'service_id', 'region_id'])
      .execute();
  },
};
