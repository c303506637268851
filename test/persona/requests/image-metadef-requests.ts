import { randomUUID } from 'node:crypto';
import type { PersonaCloud } from '../persona-cloud';
import { must, type RequestScope, type RuleRequest } from '../rule-request';

/** Glance answers 404 for a namespace the caller may not read, 403 for one it reads but may not change. */
const hidden = [403, 404] as const;
const unique = (what: string) => `persona-${what}-${randomUUID().slice(0, 8)}`;

/**
 * Project A's admin makes a private namespace of project A holding one object (`obj`), one property
 * (`prop`), one tag (`tag`) and an association with `OS::Glance::Image`; fresh for every persona.
 */
async function namespace(fx: PersonaCloud): Promise<Record<string, string>> {
  const ns = unique('ns');
  await must(fx.as('projectAdmin', 'image'), 'POST', '/v2/metadefs/namespaces', {
    namespace: ns,
    visibility: 'private',
    objects: [{ name: 'obj' }],
    properties: { prop: { type: 'string', title: 'prop' } },
    tags: [{ name: 'tag' }],
    resource_type_associations: [{ name: 'OS::Glance::Image' }],
  });
  return { ns };
}

/** Glance's target of a metadef rule on project A's private namespace. */
const namespaceOfA = ({ fx }: RequestScope) => ({ project_id: fx.projectA, visibility: 'private' });
/** Before there is a namespace (a create, a list) the target is the caller's own project. */
const callersProject = ({ caller }: RequestScope) => ({ project_id: caller.projectId ?? null });

/** One request on the namespace `setup` made, under `path` below it. */
function onNamespace(rule: string, method: string, path: string, body?: RuleRequest['body']): RuleRequest {
  return {
    rule,
    method,
    path: ({ made }) => `/v2/metadefs/namespaces/${made.ns}${path}`,
    ...(body !== undefined ? { body } : {}),
    setup: namespace,
    target: namespaceOfA,
    denied: hidden,
  };
}

/** Glance's metadefs rules as HTTP requests (see ./image-requests.ts). */
export const metadefRequests: readonly RuleRequest[] = [
  {
    rule: 'add_metadef_namespace',
    method: 'POST',
    path: '/v2/metadefs/namespaces',
    body: () => ({ namespace: unique('new') }),
    target: callersProject,
  },
  {
    rule: 'get_metadef_namespaces',
    method: 'GET',
    path: '/v2/metadefs/namespaces',
    target: callersProject,
  },
  {
    rule: 'list_metadef_resource_types',
    method: 'GET',
    path: '/v2/metadefs/resource_types',
    target: callersProject,
  },
  onNamespace('get_metadef_namespace', 'GET', ''),
  onNamespace('modify_metadef_namespace', 'PUT', '', ({ made }) => ({
    namespace: made.ns,
    description: 'changed',
  })),
  onNamespace('delete_metadef_namespace', 'DELETE', ''),
  onNamespace('get_metadef_objects', 'GET', '/objects'),
  onNamespace('get_metadef_object', 'GET', '/objects/obj'),
  onNamespace('add_metadef_object', 'POST', '/objects', { name: 'obj-new' }),
  onNamespace('modify_metadef_object', 'PUT', '/objects/obj', { name: 'obj', description: 'changed' }),
  onNamespace('delete_metadef_object', 'DELETE', '/objects/obj'),
  onNamespace('get_metadef_properties', 'GET', '/properties'),
  onNamespace('get_metadef_property', 'GET', '/properties/prop'),
  onNamespace('add_metadef_property', 'POST', '/properties', {
    name: 'prop-new',
    type: 'string',
    title: 'new',
  }),
  onNamespace('modify_metadef_property', 'PUT', '/properties/prop', {
    name: 'prop',
    type: 'string',
    title: 'changed',
  }),
  onNamespace('remove_metadef_property', 'DELETE', '/properties/prop'),
  onNamespace('get_metadef_tags', 'GET', '/tags'),
  onNamespace('get_metadef_tag', 'GET', '/tags/tag'),
  onNamespace('add_metadef_tag', 'POST', '/tags/tag-new'),
  onNamespace('add_metadef_tags', 'POST', '/tags', { tags: [{ name: 'tag-a' }, { name: 'tag-b' }] }),
  onNamespace('modify_metadef_tag', 'PUT', '/tags/tag', { name: 'tag-renamed' }),
  onNamespace('delete_metadef_tag', 'DELETE', '/tags/tag'),
  onNamespace('delete_metadef_tags', 'DELETE', '/tags'),
  onNamespace('get_metadef_resource_type', 'GET', '/resource_types'),
  onNamespace('add_metadef_resource_type_association', 'POST', '/resource_types', {
    name: 'OS::Nova::Server',
  }),
  onNamespace('remove_metadef_resource_type_association', 'DELETE', '/resource_types/OS::Glance::Image'),
];
