import type { Migration } from '@nimbus/db';

/**
 * Multi-store: an image's data may live in several stores, one row per store (the staged copy of
 * an import is the `os_glance_staging_store` row, as upstream names its staging store); the old
 * single `location` column moves into it. Tasks: the import tasks `GET /v2/images/{id}/tasks` and
 * `/v2/tasks` show.
 */
export const locationsAndTasksMigration: Migration = {
  id: '0004-locations-and-tasks',
  async up(db) {
    await db.schema
      .createTable('image_location')
      .addColumn('image_id', 'varchar(36)', (c) => c.notNull().references('image.id').onDelete('cascade'))
      .addColumn('store', 'varchar(255)', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('image_location_pk', ['image_id', 'store'])
      .execute();
    const rows = (await db
      .selectFrom('image')
      .select(['id', 'status', 'location', 'updated_at'])
      .where('location', 'is not', null)
      .where('deleted_at', 'is', null)
      .execute()) as { id: string; status: string; location: string; updated_at: string }[];
    for (const r of rows)
      await db
        .insertInto('image_location')
        .values({
          image_id: r.id,
          store: r.status === 'uploading' ? 'os_glance_staging_store' : 'file',
          url: r.location,
          created_at: r.updated_at,
        })
        .execute();
    await db.schema.alterTable('image').dropColumn('location').execute();

    await db.schema
      .createTable('task')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('type', 'varchar(30)', (c) => c.notNull())
      .addColumn('status', 'varchar(30)', (c) => c.notNull())
      .addColumn('owner', 'varchar(255)', (c) => c.notNull())
      .addColumn('image_id', 'varchar(36)')
      .addColumn('request_id', 'varchar(64)')
      .addColumn('user_id', 'varchar(64)')
      .addColumn('input', 'text')
      .addColumn('result', 'text')
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(32)')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('task_image_idx').on('task').column('image_id').execute();
    await db.schema.createIndex('task_owner_idx').on('task').columns(['owner', 'created_at']).execute();
  },
};
