import type { Migration } from '@nimbus/db';

/** Indexes that let the default list order (newest first) and name order read a page without sorting every image. */
export const listIndexesMigration: Migration = {
  id: '0002-list-indexes',
  async up(db) {
    await db.schema.createIndex('image_created_idx').on('image').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('image_name_idx').on('image').columns(['name', 'id']).execute();
    await db.schema.createIndex('image_tag_value_idx').on('image_tag').column('value').execute();
  },
};
