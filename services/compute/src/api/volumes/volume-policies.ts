import type { RuleDefault } from '@nimbus/policy';

const ADMIN = 'rule:context_is_admin';
const MEMBER = 'rule:project_member_or_admin';
const READER = 'rule:project_reader_or_admin';
const OWNER_DEPRECATED = 'is_admin:True or project_id:%(project_id)s';

const rule = (name: string, checkStr: string, deprecated: string): RuleDefault => ({
  name,
  checkStr,
  description: name,
  scopeTypes: ['project'],
  deprecatedRule: { name, checkStr: deprecated },
});

/** Nova 26 (Zed) defaults for volume attachments and the deprecated volume proxy, upstream's names. */
export const volumePolicies: RuleDefault[] = [
  rule('os_compute_api:os-volumes-attachments:index', READER, OWNER_DEPRECATED),
  rule('os_compute_api:os-volumes-attachments:show', READER, OWNER_DEPRECATED),
  rule('os_compute_api:os-volumes-attachments:create', MEMBER, OWNER_DEPRECATED),
  rule('os_compute_api:os-volumes-attachments:update', MEMBER, OWNER_DEPRECATED),
  rule('os_compute_api:os-volumes-attachments:swap', ADMIN, 'is_admin:True'),
  rule('os_compute_api:os-volumes-attachments:delete', MEMBER, OWNER_DEPRECATED),
  rule('os_compute_api:os-volumes:list', READER, OWNER_DEPRECATED),
  rule('os_compute_api:os-volumes:detail', READER, OWNER_DEPRECATED),
  rule('os_compute_api:os-volumes:show', READER, OWNER_DEPRECATED),
  rule('os_compute_api:os-volumes:create', MEMBER, OWNER_DEPRECATED),
  rule('os_compute_api:os-volumes:delete', MEMBER, OWNER_DEPRECATED),
  rule('os_compute_api:os-volumes:snapshots:list', READER, OWNER_DEPRECATED),
  rule('os_compute_api:os-volumes:snapshots:detail', READER, OWNER_DEPRECATED),
  rule('os_compute_api:os-volumes:snapshots:show', READER, OWNER_DEPRECATED),
  rule('os_compute_api:os-volumes:snapshots:create', MEMBER, OWNER_DEPRECATED),
  rule('os_compute_api:os-volumes:snapshots:delete', MEMBER, OWNER_DEPRECATED),
];
