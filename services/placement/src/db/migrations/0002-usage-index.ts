import type { Migration } from '@nimbus/db';

/**
 * Usage sums (`SUM(used)` per provider and class, read by every claim's capacity check and by
 * candidate snapshots) read the index alone when it carries `used`, as upstream's
 * `allocations_resource_provider_class_used_idx`: the table rows are never visited.
 */
export const usageIndexMigration: Migration = {
  id: '0002-usage-index',
  async up(db, dialect) {
    // IF [NOT] EXISTS: MariaDB commits DDL implicitly, so a re-run must be harmless.
    await db.schema
      .createIndex('allocations_rp_rc_used_idx')
      .ifNotExists()
      .on('allocations')
      .columns(['resource_provider_id', 'resource_class_id', 'used'])
      .execute();
    const drop = db.schema.dropIndex('allocations_rp_rc_idx').ifExists();
    await (dialect === 'mariadb' ? drop.on('allocations') : drop).execute();
  },
};
