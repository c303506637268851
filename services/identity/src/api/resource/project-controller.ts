import {
  compileBodySchema,
  keystoneValidationMessage,
  lazily,
  type Route,
  route,
  validateOrThrow,
} from '@nimbus/http';
import type { ProjectRecord } from '../../db/repositories/project-repository';
import { invalid, tagNotFound } from '../../manager/resource/resource-errors';
import { deferNotFound } from '../deferred-lookup';
import { collection, type IdentityRequest, queryTruthy, queryValue, splitExtra } from '../keystone-api';
import type { ResourceServices } from './domain-controller';
import { createProjectBody, tagSchema, updateProjectBody, updateTagsBody } from './resource-schemas';
import { idTree, projectView } from './resource-view';

type Req<B = any> = IdentityRequest<B, ResourceServices>;
const PROJECT_FIELDS = [
  'id',
  'name',
  'description',
  'enabled',
  'tags',
  'domain_id',
  'parent_id',
  'is_domain',
  'links',
];

// Validated in the handler: Keystone checks policy before it reads the body.
const validUpdateProject = lazily(() => compileBodySchema(updateProjectBody));
const csv = (v: string | undefined) => (v === undefined ? undefined : v.split(',').filter(Boolean));
const projectTarget = (p: ProjectRecord | undefined) => ({
  target: p ? { project: { id: p.id, domain_id: p.domainId, parent_id: p.parentId, name: p.name } } : {},
});
const findProject = (req: Req) => deferNotFound(req.services.resources.getProject(req.params.project_id!));

async function listProjects(req: Req) {
  // As Keystone: a domain-scoped caller is checked against, and sees only, its own domain.
  const scoped = req.credentials.domainId;
  req.authorize('identity:list_projects', scoped ? { target: { domain_id: scoped } } : {});
  const domainId = queryValue(req, 'domain_id') ?? scoped;
  const q = (n: string) => queryValue(req, n);
  const isDomain = q('is_domain');
  const enabled = q('enabled');
  const projects = await req.services.resources.listProjects({
    ...(domainId !== undefined ? { domainId } : {}),
    ...(q('name') !== undefined ? { name: q('name')! } : {}),
    ...(q('parent_id') !== undefined ? { parentId: q('parent_id')! } : {}),
    ...(enabled !== undefined ? { enabled: queryTruthy(enabled) } : {}),
    ...(isDomain !== undefined ? { isDomain: queryTruthy(isDomain) } : {}),
    ...(q('tags') !== undefined ? { tags: csv(q('tags'))! } : {}),
    ...(q('tags-any') !== undefined ? { tagsAny: csv(q('tags-any'))! } : {}),
    ...(q('not-tags') !== undefined ? { notTags: csv(q('not-tags'))! } : {}),
    ...(q('not-tags-any') !== undefined ? { notTagsAny: csv(q('not-tags-any'))! } : {}),
  });
  return collection(
    req,
    'projects',
    projects.filter((p) => !scoped || p.domainId === scoped).map((p) => projectView(req, p)),
  );
}

async function getProject(req: Req) {
  const r = req.services.resources;
  const found = await findProject(req);
  req.authorize('identity:get_project', projectTarget(found.value));
  const p = found.get();
  const body = projectView(req, p);
  const flag = (n: string) => req.query[n] !== undefined && queryTruthy(String(req.query[n]) || 'true');
  if (flag('parents_as_list') && flag('parents_as_ids'))
    throw invalid('Cannot use parents_as_list and parents_as_ids query params at the same time.');
  if (flag('subtree_as_list') && flag('subtree_as_ids'))
    throw invalid('Cannot use subtree_as_list and subtree_as_ids query params at the same time.');
  if (flag('parents_as_list'))
    body.parents = (await r.parents(p.id))
      .filter((x) => req.allowed('identity:get_project', projectTarget(x)))
      .map((x) => ({ project: projectView(req, x) }));
  if (flag('parents_as_ids')) body.parents = idTree(p.id, await r.parents(p.id), 'up');
  if (flag('subtree_as_list'))
    body.subtree = (await r.subtree(p.id))
      .filter((x) => req.allowed('identity:get_project', projectTarget(x)))
      .map((x) => ({ project: projectView(req, x) }));
  if (flag('subtree_as_ids')) body.subtree = idTree(p.id, await r.subtree(p.id), 'down');
  return { project: body };
}

async function createProject(req: Req<{ project: Record<string, any> }>) {
  const b = req.body.project;
  req.authorize('identity:create_project', {
    target: {
      project: { domain_id: b.domain_id ?? req.credentials.projectDomainId ?? req.credentials.domainId },
    },
  });
  const p = await req.services.resources.createProject({
    name: b.name,
    description: b.description ?? '',
    enabled: b.enabled ?? true,
    ...(b.domain_id
      ? { domainId: b.domain_id }
      : !b.parent_id
        ? { domainId: req.credentials.domainId ?? req.credentials.projectDomainId ?? 'default' }
        : {}),
    parentId: b.parent_id ?? null,
    isDomain: b.is_domain ?? false,
    tags: b.tags ?? [],
    extra: splitExtra(b, PROJECT_FIELDS),
  });
  return { project: projectView(req, p) };
}

async function updateProject(req: Req<{ project: Record<string, any> }>) {
  const r = req.services.resources;
  const found = await findProject(req);
  req.authorize('identity:update_project', projectTarget(found.value));
  validateOrThrow(validUpdateProject(), req.body, keystoneValidationMessage);
  const before = found.get();
  const b = req.body.project;
  if (b.id !== undefined && b.id !== before.id) throw invalid('Cannot change project ID');
  const extra = splitExtra(b, PROJECT_FIELDS);
  const p = await r.updateProject(before.id, {
    ...(b.name !== undefined ? { name: b.name } : {}),
    ...(b.description !== undefined ? { description: b.description ?? '' } : {}),
    ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
    ...(b.tags !== undefined ? { tags: b.tags } : {}),
    ...(b.domain_id !== undefined ? { domainId: b.domain_id } : {}),
    ...(b.parent_id !== undefined ? { parentId: b.parent_id } : {}),
    ...(b.is_domain !== undefined ? { isDomain: b.is_domain } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  });
  return { project: projectView(req, p) };
}

async function deleteProject(req: Req) {
  const r = req.services.resources;
  const found = await findProject(req);
  req.authorize('identity:delete_project', projectTarget(found.value));
  const p = found.get();
  await r.deleteProject(
    p.id,
    req.query.cascade !== undefined && queryTruthy(String(req.query.cascade) || 'true'),
  );
}

async function listTags(req: Req) {
  const found = await findProject(req);
  req.authorize('identity:list_project_tags', projectTarget(found.value));
  const p = found.get();
  return {
    tags: p.tags,
    links: { self: `${req.baseUrl}/v3/projects/${p.id}/tags`, previous: null, next: null },
  };
}

async function checkTag(req: Req) {
  const found = await findProject(req);
  req.authorize('identity:get_project_tag', projectTarget(found.value));
  const p = found.get();
  if (!p.tags.includes(req.params.tag!)) throw tagNotFound(req.params.tag!);
}

async function replaceTags(req: Req<{ tags: string[] }>) {
  const found = await findProject(req);
  req.authorize('identity:update_project_tags', projectTarget(found.value));
  const p = found.get();
  const updated = await req.services.resources.setTags(p.id, req.body.tags);
  return {
    tags: updated.tags,
    links: { self: `${req.baseUrl}/v3/projects/${p.id}/tags`, previous: null, next: null },
  };
}

async function addTag(req: Req) {
  const found = await findProject(req);
  req.authorize('identity:create_project_tag', projectTarget(found.value));
  const p = found.get();
  const tag = req.params.tag!;
  if (tag.length < 1 || tag.length > 255 || /[,/]/.test(tag))
    throw invalid(`Invalid input for field 'tag': '${tag}' does not match '${tagSchema.pattern}'`);
  await req.services.resources.addTag(p.id, tag);
}

async function deleteTag(req: Req) {
  const found = await findProject(req);
  req.authorize('identity:delete_project_tag', projectTarget(found.value));
  const p = found.get();
  await req.services.resources.removeTag(p.id, req.params.tag!);
}

async function deleteTags(req: Req) {
  const found = await findProject(req);
  req.authorize('identity:delete_project_tags', projectTarget(found.value));
  const p = found.get();
  await req.services.resources.setTags(p.id, []);
}

/** `/v3/projects` and project tags. */
export const projectRoutes: Route[] = [
  route('GET', '/v3/projects', listProjects),
  route('POST', '/v3/projects', createProject, { body: createProjectBody, status: 201 }),
  route('GET', '/v3/projects/:project_id', getProject),
  route('PATCH', '/v3/projects/:project_id', updateProject),
  route('DELETE', '/v3/projects/:project_id', deleteProject),
  route('GET', '/v3/projects/:project_id/tags', listTags),
  route('PUT', '/v3/projects/:project_id/tags', replaceTags, { body: updateTagsBody }),
  route('DELETE', '/v3/projects/:project_id/tags', deleteTags),
  route('GET', '/v3/projects/:project_id/tags/:tag', checkTag),
  route('HEAD', '/v3/projects/:project_id/tags/:tag', checkTag),
  route('PUT', '/v3/projects/:project_id/tags/:tag', addTag, { status: 201 }),
  route('DELETE', '/v3/projects/:project_id/tags/:tag', deleteTag),
];
