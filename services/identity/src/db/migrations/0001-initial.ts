import { addSerialPrimaryKey, type Migration } from '@nimbus/db';

/**
 * Identity's core tables. Domains are projects with `is_domain` set, as in Keystone, so one
 * hierarchy serves both; the root of every domain's tree is its own row.
 */
export const initialMigration: Migration = {
  id: '0001-initial',
  async up(db, dialect) {
    await db.schema
      .createTable('project')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(64)', (c) => c.notNull())
      .addColumn('domain_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('parent_id', 'varchar(64)')
      .addColumn('is_domain', 'boolean', (c) => c.notNull())
      .addColumn('enabled', 'boolean', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('extra', 'text')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addUniqueConstraint('project_name_per_domain', ['domain_id', 'name'])
      .execute();
    await db.schema.createIndex('project_parent_idx').on('project').column('parent_id').execute();
    await db.schema
      .createTable('project_tag')
      .addColumn('project_id', 'varchar(64)', (c) => c.notNull().references('project.id').onDelete('cascade'))
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addPrimaryKeyConstraint('project_tag_pk', ['project_id', 'name'])
      .execute();
    await db.schema
      .createTable('user')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('domain_id', 'varchar(64)', (c) => c.notNull().references('project.id'))
      .addColumn('enabled', 'boolean', (c) => c.notNull())
      .addColumn('default_project_id', 'varchar(64)')
      .addColumn('options', 'text')
      .addColumn('extra', 'text')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('last_active_at', 'varchar(32)')
      .addUniqueConstraint('user_name_per_domain', ['domain_id', 'name'])
      .execute();
    await db.schema
      .createTable('password')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('user.id').onDelete('cascade'))
      .addColumn('hash', 'varchar(255)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(32)')
      .addColumn('self_service', 'boolean', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('password_user_idx').on('password').column('user_id').execute();
    await db.schema
      .createTable('login_failure')
      .addColumn('user_id', 'varchar(64)', (c) => c.primaryKey().references('user.id').onDelete('cascade'))
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('last_failure_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('group')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(64)', (c) => c.notNull())
      .addColumn('domain_id', 'varchar(64)', (c) => c.notNull().references('project.id'))
      .addColumn('description', 'text')
      .addColumn('extra', 'text')
      .addUniqueConstraint('group_name_per_domain', ['domain_id', 'name'])
      .execute();
    await db.schema
      .createTable('group_membership')
      .addColumn('group_id', 'varchar(64)', (c) => c.notNull().references('group.id').onDelete('cascade'))
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('user.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('group_membership_pk', ['group_id', 'user_id'])
      .execute();
    await db.schema
      .createTable('role')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      // '<<null>>' for global roles, as Keystone stores it, so the unique key works on every dialect.
      .addColumn('domain_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('options', 'text')
      .addUniqueConstraint('role_name_per_domain', ['domain_id', 'name'])
      .execute();
    await db.schema
      .createTable('implied_role')
      .addColumn('prior_role_id', 'varchar(64)', (c) => c.notNull().references('role.id').onDelete('cascade'))
      .addColumn('implied_role_id', 'varchar(64)', (c) =>
        c.notNull().references('role.id').onDelete('cascade'),
      )
      .addPrimaryKeyConstraint('implied_role_pk', ['prior_role_id', 'implied_role_id'])
      .execute();
    await db.schema
      .createTable('assignment')
      // UserProject, GroupProject, UserDomain, GroupDomain, UserSystem, GroupSystem
      .addColumn('type', 'varchar(16)', (c) => c.notNull())
      .addColumn('actor_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('target_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('role_id', 'varchar(64)', (c) => c.notNull().references('role.id').onDelete('cascade'))
      .addColumn('inherited', 'boolean', (c) => c.notNull())
      .addPrimaryKeyConstraint('assignment_pk', ['type', 'actor_id', 'target_id', 'role_id', 'inherited'])
      .execute();
    await db.schema.createIndex('assignment_actor_idx').on('assignment').column('actor_id').execute();
    await db.schema
      .createTable('region')
      .addColumn('id', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('description', 'varchar(255)', (c) => c.notNull())
      .addColumn('parent_region_id', 'varchar(255)')
      .addColumn('extra', 'text')
      .execute();
    await db.schema
      .createTable('service')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('type', 'varchar(255)', (c) => c.notNull())
      .addColumn('enabled', 'boolean', (c) => c.notNull())
      .addColumn('extra', 'text')
      .execute();
    await db.schema
      .createTable('endpoint')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('service_id', 'varchar(64)', (c) => c.notNull().references('service.id'))
      .addColumn('interface', 'varchar(8)', (c) => c.notNull())
      .addColumn('region_id', 'varchar(255)')
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('enabled', 'boolean', (c) => c.notNull())
      .addColumn('extra', 'text')
      .execute();
    await addSerialPrimaryKey(db.schema.createTable('revocation_event'), dialect)
      .addColumn('domain_id', 'varchar(64)')
      .addColumn('project_id', 'varchar(64)')
      .addColumn('user_id', 'varchar(64)')
      .addColumn('role_id', 'varchar(64)')
      .addColumn('trust_id', 'varchar(64)')
      .addColumn('consumer_id', 'varchar(64)')
      .addColumn('access_token_id', 'varchar(64)')
      .addColumn('application_credential_id', 'varchar(64)')
      .addColumn('audit_id', 'varchar(32)')
      .addColumn('audit_chain_id', 'varchar(32)')
      .addColumn('issued_before', 'double precision', (c) => c.notNull())
      .addColumn('revoked_at', 'double precision', (c) => c.notNull())
      .execute();
  },
};
