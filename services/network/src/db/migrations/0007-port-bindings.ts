import type { Migration } from '@nimbus/db';

/**
 * The inactive bindings of ports (`binding-extended`): a port's active binding stays on the
 * port row; a second host's binding (a live migration's destination) waits here until activated.
 */
export const portBindingsMigration: Migration = {
  id: '0007-port-bindings',
  async up(db) {
    await db.schema
      .createTable('port_bindings')
      .addColumn('port_id', 'varchar(36)', (c) => c.notNull().references('ports.id').onDelete('cascade'))
      .addColumn('host', 'varchar(255)', (c) => c.notNull())
      .addColumn('vnic_type', 'varchar(64)', (c) => c.notNull())
      .addColumn('profile', 'text', (c) => c.notNull())
      .addColumn('vif_type', 'varchar(64)', (c) => c.notNull())
      .addColumn('vif_details', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('port_bindings_pk', ['port_id', 'host'])
      .execute();
  },
};
