import type { Migration } from '@nimbus/db';

/**
 * QoS (`qos`): policies, their rules (one table; `type` says which of bandwidth limit, DSCP
 * marking, minimum bandwidth and minimum packet rate, one per type and direction in a policy),
 * and which policy each network and port carries.
 */
export const qosMigration: Migration = {
  id: '0010-qos',
  async up(db) {
    await db.schema
      .createTable('qos_policies')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('project_id', 'varchar(255)')
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('description', 'varchar(255)', (c) => c.notNull())
      .addColumn('shared', 'boolean', (c) => c.notNull())
      .addColumn('is_default', 'boolean', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('revision_number', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('qos_rules')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('qos_policy_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('type', 'varchar(32)', (c) => c.notNull())
      .addColumn('direction', 'varchar(16)', (c) => c.notNull())
      .addColumn('max_kbps', 'bigint')
      .addColumn('max_burst_kbps', 'bigint')
      .addColumn('dscp_mark', 'integer')
      .addColumn('min_kbps', 'bigint')
      .addColumn('min_kpps', 'bigint')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('revision_number', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('qos_rules_uq', ['qos_policy_id', 'type', 'direction'])
      .execute();
    for (const kind of ['network', 'port'])
      await db.schema
        .createTable(`qos_${kind}_policy_bindings`)
        .addColumn(`${kind}_id`, 'varchar(36)', (c) => c.primaryKey())
        .addColumn('policy_id', 'varchar(36)', (c) => c.notNull())
        .execute();
    await db.schema
      .createIndex('qos_network_policy_bindings_policy_idx')
      .on('qos_network_policy_bindings')
      .column('policy_id')
      .execute();
    await db.schema
      .createIndex('qos_port_policy_bindings_policy_idx')
      .on('qos_port_policy_bindings')
      .column('policy_id')
      .execute();
  },
};
