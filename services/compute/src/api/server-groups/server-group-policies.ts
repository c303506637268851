import type { RuleDefault } from '@nimbus/policy';

const OWNER = 'is_admin:True or project_id:%(project_id)s';

const rule = (name: string, checkStr: string, deprecatedCheck: string): RuleDefault => ({
  name,
  checkStr,
  description: name,
  scopeTypes: ['project'],
  deprecatedRule: { name, checkStr: deprecatedCheck },
});

/** Nova 26 (Zed) defaults of `os-server-groups`, under upstream's names. */
export const serverGroupPolicies: RuleDefault[] = [
  rule('os_compute_api:os-server-groups:create', 'rule:project_member_or_admin', OWNER),
  rule('os_compute_api:os-server-groups:delete', 'rule:project_member_or_admin', OWNER),
  rule('os_compute_api:os-server-groups:index', 'rule:project_reader_or_admin', OWNER),
  rule('os_compute_api:os-server-groups:index:all_projects', 'rule:context_is_admin', 'is_admin:True'),
  rule('os_compute_api:os-server-groups:show', 'rule:project_reader_or_admin', OWNER),
];
