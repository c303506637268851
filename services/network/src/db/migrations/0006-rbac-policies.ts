import { randomUUID } from 'node:crypto';
import type { Migration } from '@nimbus/db';

/**
 * RBAC policies: who else may use an object (`access_as_shared`) or attach to it as external
 * (`access_as_external`); `*` targets every project. Networks made shared or external before
 * get their wildcard policy.
 */
export const rbacPoliciesMigration: Migration = {
  id: '0006-rbac-policies',
  async up(db) {
    await db.schema
      .createTable('rbac_policies')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('project_id', 'varchar(255)')
      .addColumn('object_type', 'varchar(32)', (c) => c.notNull())
      .addColumn('object_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('action', 'varchar(32)', (c) => c.notNull())
      .addColumn('target_tenant', 'varchar(255)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('revision_number', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('rbac_policies_uq', ['object_type', 'object_id', 'action', 'target_tenant'])
      .execute();
    await db.schema
      .createIndex('rbac_policies_target_idx')
      .on('rbac_policies')
      .column('target_tenant')
      .execute();
    const networks = await db
      .selectFrom('networks')
      .select(['id', 'project_id', 'shared', 'router_external', 'created_at'])
      .execute();
    for (const n of networks as any[]) {
      for (const [flag, action] of [
        [n.shared, 'access_as_shared'],
        [n.router_external, 'access_as_external'],
      ] as const) {
        if (!flag || flag === '0') continue;
        await db
          .insertInto('rbac_policies')
          .values({
            id: randomUUID(),
            project_id: n.project_id,
            object_type: 'network',
            object_id: n.id,
            action,
            target_tenant: '*',
            created_at: n.created_at,
            updated_at: n.created_at,
            revision_number: 0,
          })
          .execute();
      }
    }
  },
};
