import type { RuleDefault } from '@nimbus/policy';

const OWNER = 'is_admin:True or project_id:%(project_id)s';
const MEMBER = 'rule:project_member_or_admin';
const READER = 'rule:project_reader_or_admin';

const rule = (name: string, checkStr: string, deprecatedCheck = OWNER): RuleDefault => ({
  name,
  checkStr,
  description: name,
  scopeTypes: ['project'],
  deprecatedRule: { name, checkStr: deprecatedCheck },
});

/**
 * Nova 26 (Zed) defaults of the deprecated proxy APIs (security groups, floating IPs and their
 * pools, networks, tenant networks) and of the server actions that go with them. The images
 * proxy has none: the image service decides.
 */
export const proxyPolicies: RuleDefault[] = [
  rule('os_compute_api:os-security-groups:get', READER),
  rule('os_compute_api:os-security-groups:show', READER),
  rule('os_compute_api:os-security-groups:create', MEMBER),
  rule('os_compute_api:os-security-groups:update', MEMBER),
  rule('os_compute_api:os-security-groups:delete', MEMBER),
  rule('os_compute_api:os-security-groups:rule:create', MEMBER),
  rule('os_compute_api:os-security-groups:rule:delete', MEMBER),
  rule('os_compute_api:os-security-groups:list', READER),
  rule('os_compute_api:os-security-groups:add', MEMBER),
  rule('os_compute_api:os-security-groups:remove', MEMBER),
  rule('os_compute_api:os-floating-ips:add', MEMBER),
  rule('os_compute_api:os-floating-ips:remove', MEMBER),
  rule('os_compute_api:os-floating-ips:list', READER),
  rule('os_compute_api:os-floating-ips:create', MEMBER),
  rule('os_compute_api:os-floating-ips:show', READER),
  rule('os_compute_api:os-floating-ips:delete', MEMBER),
  rule('os_compute_api:os-floating-ip-pools', '@', '@'),
  rule('os_compute_api:os-networks:list', READER),
  rule('os_compute_api:os-networks:show', READER),
  rule('os_compute_api:os-tenant-networks:list', 'rule:project_reader_api'),
  rule('os_compute_api:os-tenant-networks:show', 'rule:project_reader_api'),
];
