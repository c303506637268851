import type { Migration } from '@nimbus/db';

/**
 * One counter that every write to images, their properties, tags, locations and members moves
 * on, in the same transaction: an API node may reuse a list answer while it has not moved.
 */
export const listGenerationMigration: Migration = {
  id: '0005-list-generation',
  async up(db) {
    await db.schema
      .createTable('image_generation')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('gen', 'bigint', (c) => c.notNull())
      .execute();
    await db.insertInto('image_generation').values({ id: 1, gen: 0 }).execute();
  },
};
