import type { RuleDefault } from '@nimbus/policy';
import { ADMIN_REQUIRED, ALL_SCOPES, identityRule, SYSTEM_PROJECT } from '../policy/base-policies';

const ADMIN_OR_TOKEN_SUBJECT = `${ADMIN_REQUIRED} or rule:token_subject`;
const ADMIN_OR_SYSTEM_USER_OR_TOKEN_SUBJECT = `${ADMIN_REQUIRED} or (role:reader and system_scope:all) or rule:token_subject`;
const ADMIN_OR_SYSTEM_USER_OR_SERVICE_OR_TOKEN_SUBJECT = `${ADMIN_REQUIRED} or (role:reader and system_scope:all) or rule:service_role or rule:token_subject`;

/** Keystone 22's rules for tokens, `/v3/auth/*` and revocation events. */
export const authPolicies: RuleDefault[] = [
  identityRule(
    'check_token',
    ADMIN_OR_SYSTEM_USER_OR_TOKEN_SUBJECT,
    ALL_SCOPES,
    'rule:admin_or_token_subject',
  ),
  identityRule(
    'validate_token',
    ADMIN_OR_SYSTEM_USER_OR_SERVICE_OR_TOKEN_SUBJECT,
    ALL_SCOPES,
    'rule:service_admin_or_token_subject',
  ),
  identityRule('revoke_token', ADMIN_OR_TOKEN_SUBJECT, ALL_SCOPES, 'rule:admin_or_token_subject'),
  identityRule('get_auth_catalog', '', ALL_SCOPES),
  identityRule('get_auth_projects', '', ALL_SCOPES),
  identityRule('get_auth_domains', '', ALL_SCOPES),
  identityRule('get_auth_system', '', ALL_SCOPES),
  identityRule('list_revoke_events', 'rule:service_or_admin', SYSTEM_PROJECT),
];
