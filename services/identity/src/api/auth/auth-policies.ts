import type { RuleDefault, ScopeType } from '@nimbus/policy';
import { identityRule } from '../policy/base-policies';

// Keystone 22's (Zed) defaults, as data: name, check string, scope types (null: the rule checks
// no scope) and the pre-secure-RBAC rule OR-ed in until enforce_new_defaults. One rule a line.
const r = (name: string, check: string, scopes: ScopeType[] | null, deprecated: string | null): RuleDefault =>
  identityRule(name, check, scopes ?? undefined, deprecated ?? undefined);

/** Keystone 22's (Zed) rules for tokens, `/v3/auth/*` and revocation events. */
export const authPolicies: RuleDefault[] = [
  r('get_auth_catalog', '', null, null),
  r('get_auth_projects', '', null, null),
  r('get_auth_domains', '', null, null),
  r('get_auth_system', '', null, null),
  r('list_revoke_events', 'rule:service_or_admin', ['system'], null),
  r(
    'check_token',
    '(role:reader and system_scope:all) or rule:token_subject',
    ['system', 'domain', 'project'],
    'rule:admin_or_token_subject',
  ),
  r(
    'validate_token',
    '(role:reader and system_scope:all) or rule:service_role or rule:token_subject',
    ['system', 'domain', 'project'],
    'rule:service_admin_or_token_subject',
  ),
  r(
    'revoke_token',
    '(role:admin and system_scope:all) or rule:token_subject',
    ['system', 'domain', 'project'],
    'rule:admin_or_token_subject',
  ),
];
