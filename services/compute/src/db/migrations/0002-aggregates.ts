import { addSerialPrimaryKey, type Migration, columnTypes as t } from '@nimbus/db';

/** Host aggregates: a name, metadata (the availability zone among it) and member hosts. */
export const aggregatesMigration: Migration = {
  id: '0002-aggregates',
  async up(db, dialect) {
    await addSerialPrimaryKey(db.schema.createTable('aggregates'), dialect)
      .addColumn('uuid', t.id, (c) => c.notNull().unique())
      .addColumn('name', t.name, (c) => c.notNull())
      .addColumn('metadata', t.json, (c) => c.notNull())
      .addColumn('hosts', t.json, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp)
      .execute();
  },
};
