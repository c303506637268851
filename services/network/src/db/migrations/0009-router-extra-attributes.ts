import type { Migration } from '@nimbus/db';

/** Router flavour flags (`dvr`, `l3-ha`), one row per router as upstream's router_extra_attributes. */
export const routerExtraAttributesMigration: Migration = {
  id: '0009-router-extra-attributes',
  async up(db) {
    await db.schema
      .createTable('router_extra_attributes')
      .addColumn('router_id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('distributed', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('ha', 'boolean', (c) => c.notNull().defaultTo(false))
      .execute();
  },
};
