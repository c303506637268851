import type { Migration } from '@nimbus/db';

/**
 * A project's servers, newest first (the default `GET /servers` order): with this index a page
 * of 50 reads 50 rows in order instead of sorting every server of the project.
 */
export const instanceListIndexMigration: Migration = {
  id: '0040-instance-list-index',
  async up(db) {
    await db.schema
      .createIndex('instances_project_created_idx')
      .on('instances')
      .columns(['project_id', 'deleted', 'created_at', 'uuid'])
      .execute();
  },
};
