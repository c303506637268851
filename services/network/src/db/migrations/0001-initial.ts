import type { Migration } from '@nimbus/db';
import type { CreateTableBuilder } from 'kysely';

type Table = CreateTableBuilder<string, never>;

/** The standard attributes every resource row carries. */
function standard(t: Table, opts: { name?: boolean } = {}): Table {
  let b = t
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(255)')
    .addColumn('description', 'varchar(255)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('revision_number', 'bigint', (c) => c.notNull());
  if (opts.name !== false) b = b.addColumn('name', 'varchar(255)', (c) => c.notNull());
  return b;
}

/**
 * Networks, subnets, ports and their IP allocations, security groups and rules, routers,
 * floating IPs and tags, as Neutron's ML2 plugin keeps them. Lists and dictionaries that are
 * never joined on are JSON text.
 */
export const initialMigration: Migration = {
  id: '0001-initial',
  async up(db) {
    await standard(db.schema.createTable('networks') as Table)
      .addColumn('admin_state_up', 'boolean', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('shared', 'boolean', (c) => c.notNull())
      .addColumn('router_external', 'boolean', (c) => c.notNull())
      .addColumn('is_default', 'boolean', (c) => c.notNull())
      .addColumn('mtu', 'integer', (c) => c.notNull())
      .addColumn('port_security_enabled', 'boolean', (c) => c.notNull())
      .addColumn('provider_network_type', 'varchar(32)')
      .addColumn('provider_physical_network', 'varchar(64)')
      .addColumn('provider_segmentation_id', 'integer')
      .addColumn('availability_zone_hints', 'text', (c) => c.notNull())
      .addColumn('dns_domain', 'varchar(255)')
      .addColumn('qos_policy_id', 'varchar(36)')
      .execute();
    await db.schema.createIndex('networks_project_idx').on('networks').column('project_id').execute();
    await standard(db.schema.createTable('subnets') as Table)
      .addColumn('network_id', 'varchar(36)', (c) => c.notNull().references('networks.id'))
      .addColumn('ip_version', 'integer', (c) => c.notNull())
      .addColumn('cidr', 'varchar(64)', (c) => c.notNull())
      .addColumn('gateway_ip', 'varchar(64)')
      .addColumn('enable_dhcp', 'boolean', (c) => c.notNull())
      .addColumn('ipv6_ra_mode', 'varchar(16)')
      .addColumn('ipv6_address_mode', 'varchar(16)')
      .addColumn('allocation_pools', 'text', (c) => c.notNull())
      .addColumn('dns_nameservers', 'text', (c) => c.notNull())
      .addColumn('host_routes', 'text', (c) => c.notNull())
      .addColumn('service_types', 'text', (c) => c.notNull())
      .addColumn('subnetpool_id', 'varchar(36)')
      .addColumn('segment_id', 'varchar(36)')
      .addColumn('dns_publish_fixed_ip', 'boolean', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('subnets_network_idx').on('subnets').column('network_id').execute();
    await standard(db.schema.createTable('ports') as Table)
      .addColumn('network_id', 'varchar(36)', (c) => c.notNull().references('networks.id'))
      .addColumn('admin_state_up', 'boolean', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('mac_address', 'varchar(32)', (c) => c.notNull())
      .addColumn('device_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('device_owner', 'varchar(255)', (c) => c.notNull())
      .addColumn('port_security_enabled', 'boolean', (c) => c.notNull())
      .addColumn('binding_host_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('binding_vnic_type', 'varchar(64)', (c) => c.notNull())
      .addColumn('binding_vif_type', 'varchar(64)', (c) => c.notNull())
      .addColumn('binding_profile', 'text', (c) => c.notNull())
      .addColumn('binding_vif_details', 'text', (c) => c.notNull())
      .addColumn('allowed_address_pairs', 'text', (c) => c.notNull())
      .addColumn('extra_dhcp_opts', 'text', (c) => c.notNull())
      .addColumn('dns_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('propagate_uplink_status', 'boolean', (c) => c.notNull())
      .addColumn('qos_policy_id', 'varchar(36)')
      .addUniqueConstraint('ports_network_mac_uq', ['network_id', 'mac_address'])
      .execute();
    await db.schema.createIndex('ports_project_idx').on('ports').column('project_id').execute();
    await db.schema.createIndex('ports_device_idx').on('ports').column('device_id').execute();
    // One row per address: the primary key is what keeps two ports off one address, whatever
    // the concurrency (Neutron's ipamallocations).
    await db.schema
      .createTable('ip_allocations')
      .addColumn('subnet_id', 'varchar(36)', (c) => c.notNull().references('subnets.id'))
      .addColumn('ip_address', 'varchar(64)', (c) => c.notNull())
      .addColumn('port_id', 'varchar(36)', (c) => c.notNull().references('ports.id').onDelete('cascade'))
      .addColumn('network_id', 'varchar(36)', (c) => c.notNull())
      .addPrimaryKeyConstraint('ip_allocations_pk', ['subnet_id', 'ip_address'])
      .execute();
    await db.schema.createIndex('ip_allocations_port_idx').on('ip_allocations').column('port_id').execute();
    await standard(db.schema.createTable('security_groups') as Table)
      .addColumn('stateful', 'boolean', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('default_security_groups')
      .addColumn('project_id', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('security_group_id', 'varchar(36)', (c) =>
        c.notNull().references('security_groups.id').onDelete('cascade'),
      )
      .execute();
    await standard(db.schema.createTable('security_group_rules') as Table, { name: false })
      .addColumn('security_group_id', 'varchar(36)', (c) =>
        c.notNull().references('security_groups.id').onDelete('cascade'),
      )
      .addColumn('remote_group_id', 'varchar(36)', (c) =>
        c.references('security_groups.id').onDelete('cascade'),
      )
      .addColumn('remote_address_group_id', 'varchar(36)')
      .addColumn('direction', 'varchar(8)', (c) => c.notNull())
      .addColumn('ethertype', 'varchar(8)', (c) => c.notNull())
      .addColumn('protocol', 'varchar(40)')
      .addColumn('port_range_min', 'integer')
      .addColumn('port_range_max', 'integer')
      .addColumn('remote_ip_prefix', 'varchar(64)')
      .addColumn('normalized_cidr', 'varchar(64)')
      .execute();
    await db.schema
      .createIndex('sg_rules_group_idx')
      .on('security_group_rules')
      .column('security_group_id')
      .execute();
    await db.schema
      .createTable('port_security_groups')
      .addColumn('port_id', 'varchar(36)', (c) => c.notNull().references('ports.id').onDelete('cascade'))
      .addColumn('security_group_id', 'varchar(36)', (c) => c.notNull().references('security_groups.id'))
      .addPrimaryKeyConstraint('port_security_groups_pk', ['port_id', 'security_group_id'])
      .execute();
    await db.schema
      .createIndex('port_sg_group_idx')
      .on('port_security_groups')
      .column('security_group_id')
      .execute();
    await standard(db.schema.createTable('routers') as Table)
      .addColumn('admin_state_up', 'boolean', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('gw_port_id', 'varchar(36)', (c) => c.references('ports.id'))
      .addColumn('external_network_id', 'varchar(36)', (c) => c.references('networks.id'))
      .addColumn('enable_snat', 'boolean', (c) => c.notNull())
      .addColumn('routes', 'text', (c) => c.notNull())
      .addColumn('availability_zone_hints', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('router_ports')
      .addColumn('router_id', 'varchar(36)', (c) => c.notNull().references('routers.id').onDelete('cascade'))
      .addColumn('port_id', 'varchar(36)', (c) => c.notNull().references('ports.id').onDelete('cascade'))
      .addColumn('port_type', 'varchar(255)', (c) => c.notNull())
      .addPrimaryKeyConstraint('router_ports_pk', ['router_id', 'port_id'])
      .execute();
    await standard(db.schema.createTable('floatingips') as Table, { name: false })
      .addColumn('floating_ip_address', 'varchar(64)', (c) => c.notNull())
      .addColumn('floating_network_id', 'varchar(36)', (c) => c.notNull().references('networks.id'))
      .addColumn('floating_port_id', 'varchar(36)', (c) => c.notNull().references('ports.id'))
      .addColumn('fixed_port_id', 'varchar(36)', (c) => c.references('ports.id'))
      .addColumn('fixed_ip_address', 'varchar(64)')
      .addColumn('router_id', 'varchar(36)', (c) => c.references('routers.id'))
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('tags')
      .addColumn('resource_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('tag', 'varchar(255)', (c) => c.notNull())
      .addPrimaryKeyConstraint('tags_pk', ['resource_id', 'tag'])
      .execute();
    await db.schema.createIndex('tags_tag_idx').on('tags').column('tag').execute();
  },
};
