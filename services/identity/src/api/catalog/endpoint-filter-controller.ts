import type { JsonSchema } from '@nimbus/http';
import { route, type Route } from '@nimbus/http';
import type { EndpointGroupRecord } from '../../db/repositories/endpoint-filter-repository';
import type { EndpointFilterManager } from '../../manager/catalog/endpoint-filter-manager';
import type { ResourceManager } from '../../manager/resource/resource-manager';
import { collection, type IdentityRequest, queryValue, v3Url } from '../keystone-api';
import { projectView } from '../resource/resource-view';
import { endpointView } from './catalog-view';

/** What the OS-EP-FILTER controller reads of `req.services`. */
export interface EndpointFilterServices {
  endpointFilter: EndpointFilterManager;
  resources: ResourceManager;
}

type Req<B = any> = IdentityRequest<B, EndpointFilterServices>;

const groupProps = {
  name: { type: 'string', minLength: 1, maxLength: 255 },
  description: { type: ['string', 'null'] },
  filters: { type: 'object', minProperties: 1, additionalProperties: { type: 'string' } },
};
const createBody: JsonSchema = {
  type: 'object',
  required: ['endpoint_group'],
  properties: { endpoint_group: { type: 'object', required: ['name', 'filters'], properties: groupProps } },
};
const updateBody: JsonSchema = {
  type: 'object',
  required: ['endpoint_group'],
  properties: { endpoint_group: { type: 'object', minProperties: 1, properties: groupProps } },
};

function groupView(req: Req, g: EndpointGroupRecord): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    filters: g.filters,
    links: { self: v3Url(req, `/OS-EP-FILTER/endpoint_groups/${g.id}`) },
  };
}

const ef = (req: Req) => req.services.endpointFilter;

/** `/v3/OS-EP-FILTER/...`: endpoint groups and project-endpoint associations. */
export const endpointFilterRoutes: Route[] = [
  route('GET', '/v3/OS-EP-FILTER/endpoint_groups', async (req: Req) => {
    req.authorize('identity:list_endpoint_groups', {});
    const name = queryValue(req, 'name');
    return collection(
      req,
      'endpoint_groups',
      (await ef(req).listGroups(name !== undefined ? { name } : {})).map((g) => groupView(req, g)),
    );
  }),
  route(
    'POST',
    '/v3/OS-EP-FILTER/endpoint_groups',
    async (req: Req<{ endpoint_group: Record<string, any> }>) => {
      req.authorize('identity:create_endpoint_group', {});
      const b = req.body.endpoint_group;
      return {
        endpoint_group: groupView(
          req,
          await ef(req).createGroup({ name: b.name, description: b.description ?? null, filters: b.filters }),
        ),
      };
    },
    { body: createBody, status: 201 },
  ),
  route('GET', '/v3/OS-EP-FILTER/endpoint_groups/:group_id', async (req: Req) => {
    req.authorize('identity:get_endpoint_group', {});
    return { endpoint_group: groupView(req, await ef(req).getGroup(req.params.group_id!)) };
  }),
  route(
    'PATCH',
    '/v3/OS-EP-FILTER/endpoint_groups/:group_id',
    async (req: Req<{ endpoint_group: Record<string, any> }>) => {
      req.authorize('identity:update_endpoint_group', {});
      const b = req.body.endpoint_group;
      const changes = Object.fromEntries(
        Object.entries({ name: b.name, description: b.description, filters: b.filters }).filter(
          ([, v]) => v !== undefined,
        ),
      );
      return { endpoint_group: groupView(req, await ef(req).updateGroup(req.params.group_id!, changes)) };
    },
    { body: updateBody },
  ),
  route('DELETE', '/v3/OS-EP-FILTER/endpoint_groups/:group_id', async (req: Req) => {
    req.authorize('identity:delete_endpoint_group', {});
    await ef(req).deleteGroup(req.params.group_id!);
  }),
  route('GET', '/v3/OS-EP-FILTER/endpoint_groups/:group_id/endpoints', async (req: Req) => {
    req.authorize('identity:list_endpoints_associated_with_endpoint_group', {});
    return collection(
      req,
      'endpoints',
      (await ef(req).endpointsInGroup(req.params.group_id!)).map((e) => endpointView(req, e)),
    );
  }),
  route('GET', '/v3/OS-EP-FILTER/endpoint_groups/:group_id/projects', async (req: Req) => {
    req.authorize('identity:list_projects_associated_with_endpoint_group', {});
    const ids = await ef(req).projectIdsForGroup(req.params.group_id!);
    return collection(
      req,
      'projects',
      (await req.services.resources.listProjects({ ids })).map((p) => projectView(req, p)),
    );
  }),
  route('PUT', '/v3/OS-EP-FILTER/endpoint_groups/:group_id/projects/:project_id', async (req: Req) => {
    req.authorize('identity:add_endpoint_group_to_project', {});
    await ef(req).associateGroup(req.params.group_id!, req.params.project_id!);
  }),
  route('GET', '/v3/OS-EP-FILTER/endpoint_groups/:group_id/projects/:project_id', async (req: Req) => {
    req.authorize('identity:get_endpoint_group_in_project', {});
    await ef(req).checkGroup(req.params.group_id!, req.params.project_id!);
    return { project: projectView(req, await req.services.resources.getProject(req.params.project_id!)) };
  }),
  route('DELETE', '/v3/OS-EP-FILTER/endpoint_groups/:group_id/projects/:project_id', async (req: Req) => {
    req.authorize('identity:remove_endpoint_group_from_project', {});
    await ef(req).dissociateGroup(req.params.group_id!, req.params.project_id!);
  }),
  route('GET', '/v3/OS-EP-FILTER/projects/:project_id/endpoint_groups', async (req: Req) => {
    req.authorize('identity:list_endpoint_groups_for_project', {});
    return collection(
      req,
      'endpoint_groups',
      (await ef(req).groupsForProject(req.params.project_id!)).map((g) => groupView(req, g)),
    );
  }),
  route('GET', '/v3/OS-EP-FILTER/projects/:project_id/endpoints', async (req: Req) => {
    req.authorize('identity:list_endpoints_for_project', {});
    return collection(
      req,
      'endpoints',
      (await ef(req).endpointsForProject(req.params.project_id!)).map((e) => endpointView(req, e)),
    );
  }),
  route('PUT', '/v3/OS-EP-FILTER/projects/:project_id/endpoints/:endpoint_id', async (req: Req) => {
    req.authorize('identity:add_endpoint_to_project', {});
    await ef(req).associateEndpoint(req.params.endpoint_id!, req.params.project_id!);
  }),
  route('HEAD', '/v3/OS-EP-FILTER/projects/:project_id/endpoints/:endpoint_id', async (req: Req) => {
    req.authorize('identity:check_endpoint_in_project', {});
    await ef(req).checkEndpoint(req.params.endpoint_id!, req.params.project_id!);
  }),
  route('DELETE', '/v3/OS-EP-FILTER/projects/:project_id/endpoints/:endpoint_id', async (req: Req) => {
    req.authorize('identity:remove_endpoint_from_project', {});
    await ef(req).dissociateEndpoint(req.params.endpoint_id!, req.params.project_id!);
  }),
  route('GET', '/v3/OS-EP-FILTER/endpoints/:endpoint_id/projects', async (req: Req) => {
    req.authorize('identity:list_projects_for_endpoint', {});
    const ids = await ef(req).projectIdsForEndpoint(req.params.endpoint_id!);
    return collection(
      req,
      'projects',
      (await req.services.resources.listProjects({ ids })).map((p) => projectView(req, p)),
    );
  }),
];
