import type { RuleDefault } from '@nimbus/policy';

// Check strings as Keystone 22 (Zed) declares them; `rule:admin_required` and `rule:owner` are
// core's base rules.
const SYSTEM_READER = 'role:reader and system_scope:all';
const SYSTEM_ADMIN = 'role:admin and system_scope:all';
const ADMIN = 'rule:admin_required';
const ADMIN_OR_OWNER = 'rule:admin_or_owner';
const CRED_OWNER = 'user_id:%(target.credential.user_id)s';
const SYSTEM_READER_OR_CRED_OWNER = `(${SYSTEM_READER}) or ${CRED_OWNER}`;
const SYSTEM_ADMIN_OR_CRED_OWNER = `(${SYSTEM_ADMIN}) or ${CRED_OWNER}`;
const SYSTEM_READER_OR_OWNER = `(${SYSTEM_READER}) or rule:owner`;
const SYSTEM_ADMIN_OR_OWNER = `(${SYSTEM_ADMIN}) or rule:owner`;
const ADMIN_OR_CREDENTIAL_OWNER =
  'rule:admin_required or (rule:owner and user_id:%(target.credential.user_id)s)';
const TRUSTOR = 'user_id:%(target.trust.trustor_user_id)s';
const TRUSTEE = 'user_id:%(target.trust.trustee_user_id)s';
const USER_OWNER = 'user_id:%(target.user.id)s';
const LIMIT_READER =
  `(${SYSTEM_READER}) or (domain_id:%(target.limit.domain.id)s or domain_id:%(target.limit.project.domain_id)s) or ` +
  '(project_id:%(target.limit.project_id)s and not None:%(target.limit.project_id)s)';

type Scope = 'system' | 'domain' | 'project';
const SP: Scope[] = ['system', 'project'];
const S: Scope[] = ['system'];
const ALL: Scope[] = ['system', 'domain', 'project'];

function rule(
  name: string,
  checkStr: string,
  scopeTypes: Scope[],
  deprecated?: string,
  description = '',
): RuleDefault {
  const r: RuleDefault = {
    name: `identity:${name}`,
    checkStr,
    description: description || name.replaceAll('_', ' '),
    scopeTypes,
  };
  if (deprecated !== undefined) r.deprecatedRule = { name: `identity:${name}`, checkStr: deprecated };
  return r;
}

/** System reader/admin CRUD rules of a resource whose deprecated rule was `rule:admin_required`. */
function systemCrud(resource: string, plural: string): RuleDefault[] {
  return [
    rule(`get_${resource}`, SYSTEM_READER, S, ADMIN),
    rule(`list_${plural}`, SYSTEM_READER, S, ADMIN),
    rule(`create_${resource}`, SYSTEM_ADMIN, S, ADMIN),
    rule(`update_${resource}`, SYSTEM_ADMIN, S, ADMIN),
    rule(`delete_${resource}`, SYSTEM_ADMIN, S, ADMIN),
  ];
}

/** The policy defaults of identity's extension APIs, under Keystone's names. Core registers them with its own. */
export const extensionPolicies: RuleDefault[] = [
  rule('get_credential', SYSTEM_READER_OR_CRED_OWNER, SP, ADMIN),
  rule('list_credentials', SYSTEM_READER_OR_CRED_OWNER, SP, ADMIN),
  rule('create_credential', SYSTEM_ADMIN_OR_CRED_OWNER, SP, ADMIN),
  rule('update_credential', SYSTEM_ADMIN_OR_CRED_OWNER, SP, ADMIN),
  rule('delete_credential', SYSTEM_ADMIN_OR_CRED_OWNER, SP, ADMIN),

  rule('ec2_get_credential', SYSTEM_READER_OR_CRED_OWNER, SP, ADMIN_OR_CREDENTIAL_OWNER),
  rule('ec2_list_credentials', SYSTEM_READER_OR_OWNER, SP, ADMIN_OR_OWNER),
  rule('ec2_create_credential', SYSTEM_ADMIN_OR_OWNER, SP, ADMIN_OR_OWNER),
  rule('ec2_delete_credential', SYSTEM_ADMIN_OR_CRED_OWNER, SP, ADMIN_OR_CREDENTIAL_OWNER),

  rule('get_application_credential', SYSTEM_READER_OR_OWNER, SP, ADMIN_OR_OWNER),
  rule('list_application_credentials', SYSTEM_READER_OR_OWNER, SP, ADMIN_OR_OWNER),
  rule('create_application_credential', 'rule:owner', ['project']),
  rule('delete_application_credential', SYSTEM_ADMIN_OR_OWNER, SP, ADMIN_OR_OWNER),
  rule('get_access_rule', `(${SYSTEM_READER}) or ${USER_OWNER}`, SP),
  rule('list_access_rules', `(${SYSTEM_READER}) or ${USER_OWNER}`, SP),
  rule('delete_access_rule', `(${SYSTEM_ADMIN}) or ${USER_OWNER}`, SP),

  rule('create_trust', 'user_id:%(trust.trustor_user_id)s', ['project']),
  rule('list_trusts', SYSTEM_READER, S, ADMIN),
  rule('list_trusts_for_trustor', `${SYSTEM_READER} or ${TRUSTOR}`, SP),
  rule('list_trusts_for_trustee', `${SYSTEM_READER} or ${TRUSTEE}`, SP),
  rule(
    'list_roles_for_trust',
    `${SYSTEM_READER} or ${TRUSTOR} or ${TRUSTEE}`,
    SP,
    `${TRUSTOR} or ${TRUSTEE}`,
  ),
  rule('get_role_for_trust', `${SYSTEM_READER} or ${TRUSTOR} or ${TRUSTEE}`, SP, `${TRUSTOR} or ${TRUSTEE}`),
  rule('delete_trust', `${SYSTEM_ADMIN} or ${TRUSTOR}`, SP, TRUSTOR),
  rule('get_trust', `${SYSTEM_READER} or ${TRUSTOR} or ${TRUSTEE}`, SP, `${TRUSTOR} or ${TRUSTEE}`),

  rule('get_registered_limit', '', ALL),
  rule('list_registered_limits', '', ALL),
  rule('create_registered_limits', SYSTEM_ADMIN, S),
  rule('update_registered_limit', SYSTEM_ADMIN, S),
  rule('delete_registered_limit', SYSTEM_ADMIN, S),
  rule('get_limit_model', '', ALL),
  rule('get_limit', LIMIT_READER, ALL),
  rule('list_limits', '', ALL),
  rule('create_limits', SYSTEM_ADMIN, S),
  rule('update_limit', SYSTEM_ADMIN, S),
  rule('delete_limit', SYSTEM_ADMIN, S),

  rule('get_policy', SYSTEM_READER, S, ADMIN),
  rule('list_policies', SYSTEM_READER, S, ADMIN),
  rule('create_policy', SYSTEM_ADMIN, S, ADMIN),
  rule('update_policy', SYSTEM_ADMIN, S, ADMIN),
  rule('delete_policy', SYSTEM_ADMIN, S, ADMIN),

  ...systemCrud('identity_provider', 'identity_providers'),
  ...systemCrud('protocol', 'protocols'),
  ...systemCrud('mapping', 'mappings'),
  ...systemCrud('service_provider', 'service_providers'),
  ...systemCrud('consumer', 'consumers'),

  rule('authorize_request_token', ADMIN, ['project']),
  rule('get_access_token', ADMIN, ['project']),
  rule('get_access_token_role', ADMIN, ['project']),
  rule('list_access_tokens', ADMIN, ['project']),
  rule('list_access_token_roles', ADMIN, ['project']),
  rule('delete_access_token', ADMIN, ['project']),
];
