import { addSerialPrimaryKey, type Migration, columnTypes as t } from '@nimbus/db';

/** Flavors, key pairs, instances and their actions, compute nodes, services, quotas. */
export const initialMigration: Migration = {
  id: '0001-initial',
  async up(db, dialect) {
    await db.schema
      .createTable('flavors')
      .addColumn('flavorid', t.name, (c) => c.primaryKey())
      .addColumn('name', t.name, (c) => c.notNull().unique())
      .addColumn('vcpus', 'integer', (c) => c.notNull())
      .addColumn('memory_mb', 'integer', (c) => c.notNull())
      .addColumn('root_gb', 'integer', (c) => c.notNull())
      .addColumn('ephemeral_gb', 'integer', (c) => c.notNull())
      .addColumn('swap', 'integer', (c) => c.notNull())
      .addColumn('rxtx_factor', 'real', (c) => c.notNull())
      .addColumn('is_public', t.boolean, (c) => c.notNull())
      .addColumn('disabled', t.boolean, (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('extra_specs', t.json, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp)
      .execute();
    await db.schema
      .createTable('flavor_projects')
      .addColumn('flavorid', t.name, (c) => c.notNull().references('flavors.flavorid').onDelete('cascade'))
      .addColumn('project_id', t.name, (c) => c.notNull())
      .addPrimaryKeyConstraint('flavor_projects_pk', ['flavorid', 'project_id'])
      .execute();
    await db.schema
      .createTable('keypairs')
      .addColumn('user_id', t.name, (c) => c.notNull())
      .addColumn('name', t.name, (c) => c.notNull())
      .addColumn('type', 'varchar(16)', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('fingerprint', t.name, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addPrimaryKeyConstraint('keypairs_pk', ['user_id', 'name'])
      .execute();
    await db.schema
      .createTable('instances')
      .addColumn('uuid', t.id, (c) => c.primaryKey())
      .addColumn('display_name', t.name, (c) => c.notNull())
      .addColumn('display_description', 'text')
      .addColumn('hostname', t.name, (c) => c.notNull())
      .addColumn('project_id', t.name, (c) => c.notNull())
      .addColumn('user_id', t.name, (c) => c.notNull())
      .addColumn('reservation_id', t.name, (c) => c.notNull())
      .addColumn('launch_index', 'integer', (c) => c.notNull())
      .addColumn('host', t.name)
      .addColumn('node', t.name)
      .addColumn('availability_zone', t.name)
      .addColumn('flavor', t.json, (c) => c.notNull())
      .addColumn('image_ref', t.name, (c) => c.notNull())
      .addColumn('key_name', t.name)
      .addColumn('key_data', 'text')
      .addColumn('user_data', 'text')
      .addColumn('metadata', t.json, (c) => c.notNull())
      .addColumn('system_metadata', t.json, (c) => c.notNull())
      .addColumn('tags', t.json, (c) => c.notNull())
      .addColumn('vm_state', 'varchar(32)', (c) => c.notNull())
      .addColumn('task_state', 'varchar(32)')
      .addColumn('power_state', 'integer', (c) => c.notNull())
      .addColumn('locked_by', 'varchar(16)')
      .addColumn('locked_reason', 'text')
      .addColumn('access_ip_v4', 'varchar(64)')
      .addColumn('access_ip_v6', 'varchar(64)')
      .addColumn('config_drive', 'varchar(16)', (c) => c.notNull())
      .addColumn('requested_networks', t.json, (c) => c.notNull())
      .addColumn('security_groups', t.json, (c) => c.notNull())
      .addColumn('network_info', t.json, (c) => c.notNull())
      .addColumn('scheduler_hints', t.json, (c) => c.notNull())
      .addColumn('fault', t.json)
      .addColumn('progress', 'integer', (c) => c.notNull())
      .addColumn('launched_at', t.timestamp)
      .addColumn('terminated_at', t.timestamp)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp)
      .addColumn('deleted_at', t.timestamp)
      .addColumn('deleted', t.boolean, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('instances_project_idx')
      .on('instances')
      .columns(['project_id', 'deleted'])
      .execute();
    await db.schema
      .createIndex('instances_created_idx')
      .on('instances')
      .columns(['created_at', 'uuid'])
      .execute();
    await db.schema.createIndex('instances_host_idx').on('instances').columns(['host']).execute();
    await addSerialPrimaryKey(db.schema.createTable('instance_actions'), dialect)
      .addColumn('instance_uuid', t.id, (c) => c.notNull())
      .addColumn('action', 'varchar(64)', (c) => c.notNull())
      .addColumn('request_id', t.name, (c) => c.notNull())
      .addColumn('user_id', t.name, (c) => c.notNull())
      .addColumn('project_id', t.name, (c) => c.notNull())
      .addColumn('message', 'text')
      .addColumn('events', t.json, (c) => c.notNull())
      .addColumn('start_time', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp)
      .execute();
    await db.schema
      .createIndex('instance_actions_idx')
      .on('instance_actions')
      .columns(['instance_uuid', 'request_id'])
      .execute();
    await db.schema
      .createTable('compute_nodes')
      .addColumn('hypervisor_hostname', t.name, (c) => c.primaryKey())
      .addColumn('id', 'integer', (c) => c.notNull().unique())
      .addColumn('uuid', t.id, (c) => c.notNull().unique())
      .addColumn('host', t.name, (c) => c.notNull())
      .addColumn('rpc_server', t.name, (c) => c.notNull())
      .addColumn('vcpus', 'integer', (c) => c.notNull())
      .addColumn('memory_mb', 'integer', (c) => c.notNull())
      .addColumn('local_gb', 'integer', (c) => c.notNull())
      .addColumn('hypervisor_type', 'varchar(32)', (c) => c.notNull())
      .addColumn('hypervisor_version', 'integer', (c) => c.notNull())
      .addColumn('host_ip', 'varchar(64)', (c) => c.notNull())
      .addColumn('cpu_info', 'text', (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp)
      .execute();
    await db.schema
      .createTable('services')
      .addColumn('uuid', t.id, (c) => c.primaryKey())
      .addColumn('id', 'integer', (c) => c.notNull().unique())
      .addColumn('binary', 'varchar(64)', (c) => c.notNull())
      .addColumn('host', t.name, (c) => c.notNull())
      .addColumn('topic', 'varchar(64)')
      .addColumn('disabled', t.boolean, (c) => c.notNull())
      .addColumn('disabled_reason', 'text')
      .addColumn('forced_down', t.boolean, (c) => c.notNull())
      .addColumn('last_seen_up', t.timestamp)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp)
      .addUniqueConstraint('services_binary_host_uq', ['binary', 'host'])
      .execute();
    await db.schema
      .createTable('quotas')
      .addColumn('project_id', t.name, (c) => c.notNull())
      .addColumn('resource', 'varchar(64)', (c) => c.notNull())
      .addColumn('hard_limit', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('quotas_pk', ['project_id', 'resource'])
      .execute();
  },
};
