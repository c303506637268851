import type { RuleDefault, ScopeType } from '@nimbus/policy';

// Check strings as Keystone 22 (Zed) declares them. Identity's policy credentials also carry
// Keystone's `token.*` view (`token.project.domain.id`, `token.domain.id`, `token.user.domain.id`),
// so rules written against it work unchanged.
export const SYSTEM_READER = 'role:reader and system_scope:all';
export const SYSTEM_ADMIN = 'role:admin and system_scope:all';
export const DOMAIN_READER = 'role:reader and domain_id:%(target.domain_id)s';
export const ADMIN_REQUIRED = 'rule:admin_required';
export const ADMIN_OR_OWNER = 'rule:admin_or_owner';
export const OWNER = 'user_id:%(user_id)s';
export const ADMIN_OR_SYSTEM_READER = `rule:admin_required or (${SYSTEM_READER})`;
export const ADMIN_OR_TARGET_DOMAIN = 'rule:admin_required or token.project.domain.id:%(target.domain.id)s';
export const ADMIN_OR_TARGET_PROJECT = 'rule:admin_required or project_id:%(target.project.id)s';

export const SYSTEM: ScopeType[] = ['system'];
export const SYSTEM_PROJECT: ScopeType[] = ['system', 'project'];
export const SYSTEM_DOMAIN: ScopeType[] = ['system', 'domain'];
export const ALL_SCOPES: ScopeType[] = ['system', 'domain', 'project'];

/**
 * An `identity:<name>` rule default; without `scopeTypes` it checks no scope, as oslo.policy.
 * `deprecated` is the pre-secure-RBAC check string that Keystone
 * still honours (OR-ed in) until `enforce_new_defaults` is on.
 */
export function identityRule(
  name: string,
  checkStr: string,
  scopeTypes: ScopeType[] | undefined,
  deprecated?: string,
  description?: string,
): RuleDefault {
  const r: RuleDefault = {
    name: `identity:${name}`,
    checkStr,
    description: description ?? name.replaceAll('_', ' '),
  };
  if (scopeTypes) r.scopeTypes = scopeTypes;
  if (deprecated !== undefined) r.deprecatedRule = { name: `identity:${name}`, checkStr: deprecated };
  return r;
}

/** Keystone's base rules, which the `identity:*` rules refer to. */
export const basePolicies: RuleDefault[] = [
  { name: 'admin_required', checkStr: 'role:admin or is_admin:1', description: 'Caller has the admin role.' },
  { name: 'service_role', checkStr: 'role:service', description: 'Caller has the service role.' },
  {
    name: 'service_or_admin',
    checkStr: 'rule:admin_required or rule:service_role',
    description: 'Caller is a service or an admin.',
  },
  { name: 'owner', checkStr: OWNER, description: 'Caller is the user the request names.' },
  {
    name: 'admin_or_owner',
    checkStr: 'rule:admin_required or rule:owner',
    description: 'Caller is an admin or the owner.',
  },
  {
    name: 'token_subject',
    checkStr: 'user_id:%(target.token.user_id)s',
    description: 'Caller owns the token.',
  },
  {
    name: 'admin_or_token_subject',
    checkStr: 'rule:admin_required or rule:token_subject',
    description: 'Caller is an admin or owns the token.',
  },
  {
    name: 'service_admin_or_token_subject',
    checkStr: 'rule:service_or_admin or rule:token_subject',
    description: 'Caller is a service, an admin or owns the token.',
  },
];
