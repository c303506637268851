import type { RuleDefault } from '@nimbus/policy';

const ADMIN = 'rule:system_admin_api';
const READER = 'rule:system_reader_api';
const LEGACY = { name: 'admin_api', checkStr: 'role:admin' };

const rule = (
  name: string,
  checkStr: string,
  scopeTypes: RuleDefault['scopeTypes'] = ['system'],
): RuleDefault => ({
  name,
  checkStr,
  description: name,
  scopeTypes,
});

/** Placement 8.0's (Zed) policy defaults, under upstream's names. Data, one rule a line. */
export const placementPolicies: RuleDefault[] = [
  rule('admin_api', 'role:admin'),
  { ...rule('system_admin_api', 'role:admin and system_scope:all', undefined), deprecatedRule: LEGACY },
  { ...rule('system_reader_api', 'role:reader and system_scope:all', undefined), deprecatedRule: LEGACY },
  {
    ...rule('project_reader_api', 'role:reader and project_id:%(project_id)s', undefined),
    deprecatedRule: LEGACY,
  },
  {
    ...rule('system_or_project_reader', 'rule:system_reader_api or rule:project_reader_api', undefined),
    deprecatedRule: LEGACY,
  },
  rule('placement:resource_providers:list', READER),
  rule('placement:resource_providers:create', ADMIN),
  rule('placement:resource_providers:show', READER),
  rule('placement:resource_providers:update', ADMIN),
  rule('placement:resource_providers:delete', ADMIN),
  rule('placement:resource_providers:inventories:list', READER),
  rule('placement:resource_providers:inventories:create', ADMIN),
  rule('placement:resource_providers:inventories:show', READER),
  rule('placement:resource_providers:inventories:update', ADMIN),
  rule('placement:resource_providers:inventories:delete', ADMIN),
  rule('placement:resource_providers:aggregates:list', READER),
  rule('placement:resource_providers:aggregates:update', ADMIN),
  rule('placement:resource_providers:usages', READER),
  rule('placement:resource_providers:allocations:list', READER),
  rule('placement:resource_providers:traits:list', READER),
  rule('placement:resource_providers:traits:update', ADMIN),
  rule('placement:resource_providers:traits:delete', ADMIN),
  rule('placement:resource_classes:list', READER),
  rule('placement:resource_classes:create', ADMIN),
  rule('placement:resource_classes:show', READER),
  rule('placement:resource_classes:update', ADMIN),
  rule('placement:resource_classes:delete', ADMIN),
  rule('placement:traits:list', READER),
  rule('placement:traits:show', READER),
  rule('placement:traits:update', ADMIN),
  rule('placement:traits:delete', ADMIN),
  rule('placement:allocations:manage', ADMIN),
  rule('placement:allocations:list', READER),
  rule('placement:allocations:update', ADMIN),
  rule('placement:allocations:delete', ADMIN),
  rule('placement:allocation_candidates:list', READER),
  rule('placement:reshaper:reshape', ADMIN),
  rule('placement:usages', 'rule:system_or_project_reader', ['system', 'project']),
];
