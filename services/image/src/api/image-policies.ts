import type { RuleDefault } from '@nimbus/policy';
import { metadefPolicies } from './metadefs/metadef-policies';

// Glance 25's defaults: name, check string and the pre-secure-RBAC rule still OR-ed in until
// enforce_new_defaults. Targets carry the image's project_id (its owner), owner, visibility and,
// for members, member_id. Data, one rule a line.
const r = (name: string, checkStr: string, deprecated: string | null): RuleDefault => ({
  name,
  checkStr,
  description: name.replaceAll('_', ' '),
  scopeTypes: ['project'],
  ...(deprecated !== null ? { deprecatedRule: { name, checkStr: deprecated } } : {}),
});

/** Every policy default of the image service, under Glance's names. */
export const imagePolicies: RuleDefault[] = [
  r('default', '', 'role:admin'),
  r('context_is_admin', 'role:admin', null),
  r(
    'add_image',
    'role:admin or (role:member and project_id:%(project_id)s and project_id:%(owner)s)',
    'rule:default',
  ),
  r('delete_image', 'role:admin or (role:member and project_id:%(project_id)s)', 'rule:default'),
  r(
    'get_image',
    "role:admin or (role:reader and (project_id:%(project_id)s or project_id:%(member_id)s or 'community':%(visibility)s or 'public':%(visibility)s or 'shared':%(visibility)s))",
    'rule:default',
  ),
  r('get_images', 'role:admin or (role:reader and project_id:%(project_id)s)', 'rule:default'),
  r('modify_image', 'role:admin or (role:member and project_id:%(project_id)s)', 'rule:default'),
  r('publicize_image', 'role:admin', null),
  r('communitize_image', 'role:admin or (role:member and project_id:%(project_id)s)', 'rule:default'),
  r(
    'download_image',
    "role:admin or (role:member and (project_id:%(project_id)s or project_id:%(member_id)s or 'community':%(visibility)s or 'public':%(visibility)s or 'shared':%(visibility)s))",
    'rule:default',
  ),
  r('upload_image', 'role:admin or (role:member and project_id:%(project_id)s)', 'rule:default'),
  r('delete_image_location', 'role:admin', 'rule:default'),
  r('get_image_location', 'role:admin or (role:reader and project_id:%(project_id)s)', 'rule:default'),
  r('set_image_location', 'role:admin or (role:member and project_id:%(project_id)s)', 'rule:default'),
  r('add_member', 'role:admin or (role:member and project_id:%(project_id)s)', 'rule:default'),
  r('delete_member', 'role:admin or (role:member and project_id:%(project_id)s)', 'rule:default'),
  r(
    'get_member',
    'role:admin or role:reader and (project_id:%(project_id)s or project_id:%(member_id)s)',
    'rule:default',
  ),
  r(
    'get_members',
    'role:admin or role:reader and (project_id:%(project_id)s or project_id:%(member_id)s)',
    'rule:default',
  ),
  r('modify_member', 'role:admin or (role:member and project_id:%(member_id)s)', 'rule:default'),
  r('manage_image_cache', 'role:admin', null),
  r('deactivate', 'role:admin or (role:member and project_id:%(project_id)s)', 'rule:default'),
  r('reactivate', 'role:admin or (role:member and project_id:%(project_id)s)', 'rule:default'),
  r('copy_image', 'role:admin', null),
  r('get_task', 'rule:default', null),
  r('get_tasks', 'rule:default', null),
  r('add_task', 'rule:default', null),
  r('modify_task', 'rule:default', null),
  r('tasks_api_access', 'role:admin', null),
  r('stores_info_detail', 'role:admin', null),
  r('cache_image', 'role:admin', 'rule:manage_image_cache'),
  r('cache_list', 'role:admin', 'rule:manage_image_cache'),
  r('cache_delete', 'role:admin', 'rule:manage_image_cache'),
  ...metadefPolicies,
];
