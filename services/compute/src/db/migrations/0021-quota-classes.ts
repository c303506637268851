import { type Migration, columnTypes as t } from '@nimbus/db';

/** Quota classes: limits per class name (the `default` class overrides the configured defaults). */
export const quotaClassesMigration: Migration = {
  id: '0021-quota-classes',
  async up(db) {
    await db.schema
      .createTable('quota_classes')
      .addColumn('class_name', t.name, (c) => c.notNull())
      .addColumn('resource', t.name, (c) => c.notNull())
      .addColumn('hard_limit', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('quota_classes_pk', ['class_name', 'resource'])
      .execute();
  },
};
