import type { Migration } from '@nimbus/db';

/**
 * Tables of identity's extension resources: credentials (blob encrypted at rest), application
 * credentials with their roles and access rules, trusts, unified limits, legacy policy blobs,
 * federation (identity providers, protocols, mappings, service providers) and OAuth1. Each is
 * owned by one extension manager; core tables are only referred to by id (no foreign keys into
 * core, so core can evolve its schema freely and deletions are handled by the managers).
 */
export const extensionTablesMigration: Migration = {
  id: '0100-extension-tables',
  async up(db) {
    await db.schema
      .createTable('credential')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('project_id', 'varchar(64)')
      .addColumn('type', 'varchar(255)', (c) => c.notNull())
      .addColumn('encrypted_blob', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('extra', 'text')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('credential_user_idx').on('credential').column('user_id').execute();

    await db.schema
      .createTable('application_credential')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('secret_hash', 'varchar(255)', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('project_id', 'varchar(64)')
      .addColumn('system', 'varchar(64)')
      .addColumn('expires_at', 'varchar(32)')
      .addColumn('unrestricted', 'boolean', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addUniqueConstraint('application_credential_name_per_user', ['user_id', 'name'])
      .execute();
    await db.schema
      .createTable('application_credential_role')
      .addColumn('application_credential_id', 'varchar(64)', (c) =>
        c.notNull().references('application_credential.id').onDelete('cascade'),
      )
      .addColumn('role_id', 'varchar(64)', (c) => c.notNull())
      .addPrimaryKeyConstraint('application_credential_role_pk', ['application_credential_id', 'role_id'])
      .execute();
    await db.schema
      .createTable('access_rule')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('service', 'varchar(64)', (c) => c.notNull())
      .addColumn('path', 'varchar(255)', (c) => c.notNull())
      .addColumn('method', 'varchar(16)', (c) => c.notNull())
      .addUniqueConstraint('access_rule_per_user', ['user_id', 'service', 'path', 'method'])
      .execute();
    await db.schema
      .createTable('application_credential_access_rule')
      .addColumn('application_credential_id', 'varchar(64)', (c) =>
        c.notNull().references('application_credential.id').onDelete('cascade'),
      )
      .addColumn('access_rule_id', 'varchar(64)', (c) => c.notNull().references('access_rule.id'))
      .addPrimaryKeyConstraint('application_credential_access_rule_pk', [
        'application_credential_id',
        'access_rule_id',
      ])
      .execute();

    await db.schema
      .createTable('trust')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('trustor_user_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('trustee_user_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('project_id', 'varchar(64)')
      .addColumn('impersonation', 'boolean', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(32)')
      .addColumn('remaining_uses', 'integer')
      .addColumn('redelegated_trust_id', 'varchar(64)')
      .addColumn('redelegation_count', 'integer')
      .addColumn('extra', 'text')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('trust_trustor_idx').on('trust').column('trustor_user_id').execute();
    await db.schema.createIndex('trust_trustee_idx').on('trust').column('trustee_user_id').execute();
    await db.schema
      .createTable('trust_role')
      .addColumn('trust_id', 'varchar(64)', (c) => c.notNull().references('trust.id').onDelete('cascade'))
      .addColumn('role_id', 'varchar(64)', (c) => c.notNull())
      .addPrimaryKeyConstraint('trust_role_pk', ['trust_id', 'role_id'])
      .execute();

    await db.schema
      .createTable('registered_limit')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('service_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('region_id', 'varchar(255)')
      .addColumn('resource_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('default_limit', 'integer', (c) => c.notNull())
      .addColumn('description', 'text')
      .execute();
    await db.schema
      .createTable('unified_limit')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('project_id', 'varchar(64)')
      .addColumn('domain_id', 'varchar(64)')
      .addColumn('registered_limit_id', 'varchar(64)', (c) => c.notNull().references('registered_limit.id'))
      .addColumn('resource_limit', 'integer', (c) => c.notNull())
      .addColumn('description', 'text')
      .execute();

    await db.schema
      .createTable('policy_blob')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('type', 'varchar(255)', (c) => c.notNull())
      .addColumn('blob', 'text', (c) => c.notNull())
      .addColumn('extra', 'text')
      .execute();

    await db.schema
      .createTable('identity_provider')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('enabled', 'boolean', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('domain_id', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('authorization_ttl', 'integer')
      .execute();
    await db.schema
      .createTable('idp_remote_id')
      .addColumn('remote_id', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('idp_id', 'varchar(64)', (c) =>
        c.notNull().references('identity_provider.id').onDelete('cascade'),
      )
      .execute();
    await db.schema
      .createTable('federation_mapping')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('rules', 'text', (c) => c.notNull())
      .addColumn('schema_version', 'varchar(5)', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('federation_protocol')
      .addColumn('id', 'varchar(64)', (c) => c.notNull())
      .addColumn('idp_id', 'varchar(64)', (c) =>
        c.notNull().references('identity_provider.id').onDelete('cascade'),
      )
      .addColumn('mapping_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('remote_id_attribute', 'varchar(64)')
      .addPrimaryKeyConstraint('federation_protocol_pk', ['idp_id', 'id'])
      .execute();
    await db.schema
      .createTable('service_provider')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('enabled', 'boolean', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('auth_url', 'varchar(256)', (c) => c.notNull())
      .addColumn('sp_url', 'varchar(256)', (c) => c.notNull())
      .addColumn('relay_state_prefix', 'varchar(256)', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('oauth1_consumer')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('description', 'text')
      .addColumn('secret', 'varchar(64)', (c) => c.notNull())
      .addColumn('extra', 'text')
      .execute();
    await db.schema
      .createTable('oauth1_request_token')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('request_secret', 'varchar(64)', (c) => c.notNull())
      .addColumn('verifier', 'varchar(64)')
      .addColumn('authorizing_user_id', 'varchar(64)')
      .addColumn('requested_project_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('role_ids', 'text')
      .addColumn('consumer_id', 'varchar(64)', (c) =>
        c.notNull().references('oauth1_consumer.id').onDelete('cascade'),
      )
      .addColumn('expires_at', 'varchar(32)')
      .execute();
    await db.schema
      .createTable('oauth1_access_token')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('access_secret', 'varchar(64)', (c) => c.notNull())
      .addColumn('authorizing_user_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('role_ids', 'text', (c) => c.notNull())
      .addColumn('consumer_id', 'varchar(64)', (c) =>
        c.notNull().references('oauth1_consumer.id').onDelete('cascade'),
      )
      .addColumn('expires_at', 'varchar(32)')
      .execute();
    await db.schema
      .createIndex('oauth1_access_token_user_idx')
      .on('oauth1_access_token')
      .column('authorizing_user_id')
      .execute();
  },
};
