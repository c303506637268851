import type { Migration } from '@nimbus/db';

/**
 * The duplicate check of a security group rule create reads the group's rules of one direction,
 * ethertype and first port: indexed on those, it reads the few candidates instead of every rule
 * of the group (a group with thousands of rules made each create scan them all).
 */
export const ruleDuplicateIndexMigration: Migration = {
  id: '0901-rule-duplicate-index',
  async up(db) {
    await db.schema
      .createIndex('sg_rules_duplicate_idx')
      .on('security_group_rules')
      .columns(['security_group_id', 'direction', 'ethertype', 'port_range_min'])
      .execute();
  },
};
