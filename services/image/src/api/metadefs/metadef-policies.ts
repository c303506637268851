import type { RuleDefault } from '@nimbus/policy';

// Glance 25's metadata-definition defaults, as data. Reads are for admins and the namespace
// owner's readers, or anyone's readers on a public namespace (the target carries the namespace's
// owner as project_id and its visibility); until enforce_new_defaults the old `metadef_default`
// (anyone) is OR-ed in. Writes stay `metadef_admin`, as upstream, with no deprecated rule.
const READ_NAMESPACE =
  "role:admin or (role:reader and (project_id:%(project_id)s or 'public':%(visibility)s))";
const READ_OWN = 'role:admin or (role:reader and project_id:%(project_id)s)';
const NS = '/v2/metadefs/namespaces';

const rule = (
  name: string,
  checkStr: string,
  description: string,
  method: string,
  path: string,
): RuleDefault => ({
  name,
  checkStr,
  description,
  scopeTypes: ['project'],
  operations: [{ method, path }],
  ...(checkStr === 'rule:metadef_admin'
    ? {}
    : { deprecatedRule: { name, checkStr: 'rule:metadef_default' } }),
});

/** Every policy default of Glance's metadefs API, under Glance's names. */
export const metadefPolicies: RuleDefault[] = [
  { name: 'metadef_default', checkStr: '', description: 'Default rule of the metadefs reads.' },
  { name: 'metadef_admin', checkStr: 'role:admin', description: 'Default rule of the metadefs writes.' },
  rule('get_metadef_namespace', READ_NAMESPACE, 'Get a specific namespace.', 'GET', `${NS}/{namespace_name}`),
  rule('get_metadef_namespaces', READ_OWN, 'List namespace.', 'GET', NS),
  rule(
    'modify_metadef_namespace',
    'rule:metadef_admin',
    'Modify an existing namespace.',
    'PUT',
    `${NS}/{namespace_name}`,
  ),
  rule('add_metadef_namespace', 'rule:metadef_admin', 'Create a namespace.', 'POST', NS),
  rule(
    'delete_metadef_namespace',
    'rule:metadef_admin',
    'Delete a namespace.',
    'DELETE',
    `${NS}/{namespace_name}`,
  ),
  rule(
    'get_metadef_object',
    READ_NAMESPACE,
    'Get a specific object from a namespace.',
    'GET',
    `${NS}/{namespace_name}/objects/{object_name}`,
  ),
  rule(
    'get_metadef_objects',
    READ_NAMESPACE,
    'Get objects from a namespace.',
    'GET',
    `${NS}/{namespace_name}/objects`,
  ),
  rule(
    'modify_metadef_object',
    'rule:metadef_admin',
    'Update an object within a namespace.',
    'PUT',
    `${NS}/{namespace_name}/objects/{object_name}`,
  ),
  rule(
    'add_metadef_object',
    'rule:metadef_admin',
    'Create an object within a namespace.',
    'POST',
    `${NS}/{namespace_name}/objects`,
  ),
  rule(
    'delete_metadef_object',
    'rule:metadef_admin',
    'Delete an object within a namespace.',
    'DELETE',
    `${NS}/{namespace_name}/objects/{object_name}`,
  ),
  rule(
    'list_metadef_resource_types',
    READ_NAMESPACE,
    'List meta definition resource types.',
    'GET',
    '/v2/metadefs/resource_types',
  ),
  rule(
    'get_metadef_resource_type',
    READ_NAMESPACE,
    'Get meta definition resource types associations.',
    'GET',
    `${NS}/{namespace_name}/resource_types`,
  ),
  rule(
    'add_metadef_resource_type_association',
    'rule:metadef_admin',
    'Create meta definition resource types association.',
    'POST',
    `${NS}/{namespace_name}/resource_types`,
  ),
  rule(
    'remove_metadef_resource_type_association',
    'rule:metadef_admin',
    'Delete meta definition resource types association.',
    'DELETE',
    `${NS}/{namespace_name}/resource_types/{name}`,
  ),
  rule(
    'get_metadef_property',
    READ_NAMESPACE,
    'Get a specific meta definition property.',
    'GET',
    `${NS}/{namespace_name}/properties/{property_name}`,
  ),
  rule(
    'get_metadef_properties',
    READ_NAMESPACE,
    'List meta definition properties.',
    'GET',
    `${NS}/{namespace_name}/properties`,
  ),
  rule(
    'modify_metadef_property',
    'rule:metadef_admin',
    'Update meta definition property.',
    'PUT',
    `${NS}/{namespace_name}/properties/{property_name}`,
  ),
  rule(
    'add_metadef_property',
    'rule:metadef_admin',
    'Create meta definition property.',
    'POST',
    `${NS}/{namespace_name}/properties`,
  ),
  rule(
    'remove_metadef_property',
    'rule:metadef_admin',
    'Delete meta definition property.',
    'DELETE',
    `${NS}/{namespace_name}/properties/{property_name}`,
  ),
  rule(
    'get_metadef_tag',
    READ_NAMESPACE,
    'Get tag definition.',
    'GET',
    `${NS}/{namespace_name}/tags/{tag_name}`,
  ),
  rule('get_metadef_tags', READ_NAMESPACE, 'List tag definitions.', 'GET', `${NS}/{namespace_name}/tags`),
  rule(
    'modify_metadef_tag',
    'rule:metadef_admin',
    'Update tag definition.',
    'PUT',
    `${NS}/{namespace_name}/tags/{tag_name}`,
  ),
  rule(
    'add_metadef_tag',
    'rule:metadef_admin',
    'Add tag definition.',
    'POST',
    `${NS}/{namespace_name}/tags/{tag_name}`,
  ),
  rule(
    'add_metadef_tags',
    'rule:metadef_admin',
    'Create tag definitions.',
    'POST',
    `${NS}/{namespace_name}/tags`,
  ),
  rule(
    'delete_metadef_tag',
    'rule:metadef_admin',
    'Delete tag definition.',
    'DELETE',
    `${NS}/{namespace_name}/tags/{tag_name}`,
  ),
  rule(
    'delete_metadef_tags',
    'rule:metadef_admin',
    'Delete tag definitions.',
    'DELETE',
    `${NS}/{namespace_name}/tags`,
  ),
];
