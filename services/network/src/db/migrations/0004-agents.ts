import type { Migration } from '@nimbus/db';

/**
 * Agents as they report themselves (one row per type and host) and the networks each DHCP
 * agent serves and the routers each L3 agent hosts.
 */
export const agentsMigration: Migration = {
  id: '0004-agents',
  async up(db) {
    await db.schema
      .createTable('agents')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('agent_type', 'varchar(255)', (c) => c.notNull())
      .addColumn('binary', 'varchar(255)', (c) => c.notNull())
      .addColumn('topic', 'varchar(255)', (c) => c.notNull())
      .addColumn('host', 'varchar(255)', (c) => c.notNull())
      .addColumn('availability_zone', 'varchar(255)')
      .addColumn('admin_state_up', 'boolean', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('started_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('heartbeat_timestamp', 'varchar(32)', (c) => c.notNull())
      .addColumn('description', 'varchar(255)')
      .addColumn('configurations', 'text', (c) => c.notNull())
      .addColumn('resource_versions', 'text')
      .addUniqueConstraint('agents_type_host_uq', ['agent_type', 'host'])
      .execute();
    await db.schema
      .createTable('network_dhcp_agent_bindings')
      .addColumn('network_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('agent_id', 'varchar(36)', (c) => c.notNull())
      .addPrimaryKeyConstraint('network_dhcp_agent_bindings_pk', ['network_id', 'agent_id'])
      .execute();
    await db.schema
      .createTable('router_l3_agent_bindings')
      .addColumn('router_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('agent_id', 'varchar(36)', (c) => c.notNull())
      .addPrimaryKeyConstraint('router_l3_agent_bindings_pk', ['router_id', 'agent_id'])
      .execute();
  },
};
