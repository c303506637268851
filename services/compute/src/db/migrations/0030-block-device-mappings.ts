import { type Migration, columnTypes as t } from '@nimbus/db';

/** Block device mappings: the volumes and local disks of each instance (Nova's `block_device_mapping`). */
export const blockDeviceMappingsMigration: Migration = {
  id: '0030-block-device-mappings',
  async up(db) {
    await db.schema
      .createTable('block_device_mappings')
      .addColumn('uuid', t.id, (c) => c.primaryKey())
      .addColumn('instance_uuid', t.id, (c) => c.notNull())
      .addColumn('source_type', t.name, (c) => c.notNull())
      .addColumn('destination_type', t.name, (c) => c.notNull())
      .addColumn('volume_id', t.id)
      .addColumn('snapshot_id', t.id)
      .addColumn('image_id', t.id)
      .addColumn('volume_size', 'integer')
      .addColumn('device_name', t.name)
      .addColumn('boot_index', 'integer')
      .addColumn('guest_format', t.name)
      .addColumn('disk_bus', t.name)
      .addColumn('device_type', t.name)
      .addColumn('volume_type', t.name)
      .addColumn('tag', t.name)
      .addColumn('attachment_id', t.id)
      .addColumn('delete_on_termination', t.boolean, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp)
      .execute();
    await db.schema
      .createIndex('block_device_mappings_instance')
      .on('block_device_mappings')
      .column('instance_uuid')
      .execute();
  },
};
