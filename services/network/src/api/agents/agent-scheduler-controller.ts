import { type ApiRequest, respond } from '@nimbus/http';
import type { AgentScheduler } from '../../manager/agent-scheduler';
import { badRequest } from '../../manager/network-errors';
import { policyNotAuthorized } from '../call-context';
import type { NetworkServices } from '../network-services';
import { networkDefinition } from '../networks/network-definition';
import { contextOf, targetOf, visible } from '../resource-access';
import type { ResourceDefinition } from '../resource-definition';
import { resourceView } from '../resource-view';
import { routerDefinition } from '../routers/router-definition';
import { agentDefinition } from './agent-definition';

type Req = ApiRequest<unknown, NetworkServices>;

/** One scheduler's API: `dhcp-networks` / `dhcp-agents` or `l3-routers` / `l3-agents`. */
interface SchedulerApi {
  scheduler: (req: Req) => AgentScheduler;
  /** The hosted resource, its definition and its names in the URLs and policies. */
  def: ResourceDefinition;
  hosted: 'dhcp-network' | 'l3-router';
  hosting: 'dhcp-agents' | 'l3-agents';
}

const dhcp: SchedulerApi = {
  scheduler: (req) => req.services.schedulers.dhcp,
  def: networkDefinition,
  hosted: 'dhcp-network',
  hosting: 'dhcp-agents',
};
const l3: SchedulerApi = {
  scheduler: (req) => req.services.schedulers.l3,
  def: routerDefinition,
  hosted: 'l3-router',
  hosting: 'l3-agents',
};

function authorize(req: Req, action: string): void {
  if (!contextOf(req).allowed(action, {})) throw policyNotAuthorized([action]);
}

/** `GET /v2.0/agents/{id}/<hosted>s`: the resources an agent hosts, as their own API shows them. */
const listHosted = (api: SchedulerApi) => async (req: Req) => {
  authorize(req, `get_${api.hosted}s`);
  const ctx = contextOf(req);
  const handlers = req.services.resources[api.def.resource]!;
  const ids = await api.scheduler(req).resourcesOf(req.params.id!);
  const items = [];
  for (const id of ids) {
    const item = await handlers.get(ctx, id);
    if (item)
      items.push(resourceView(req.services, ctx, api.def, item, await targetOf(ctx, handlers, item), []));
  }
  return { [api.def.collection]: items };
};

/** `POST /v2.0/agents/{id}/<hosted>s` with `{"<resource>_id": ...}`. */
const addHosted = (api: SchedulerApi) => async (req: Req) => {
  authorize(req, `create_${api.hosted}`);
  const key = `${api.def.resource}_id`;
  const id = (req.body as Record<string, unknown> | undefined)?.[key];
  if (typeof id !== 'string') throw badRequest(api.def.resource, `${key} must be specified`);
  const ctx = contextOf(req);
  await visible(ctx, api.def, req.services.resources[api.def.resource]!, id);
  await api.scheduler(req).add(req.params.id!, id);
  return respond(201, null);
};

/** `DELETE /v2.0/agents/{id}/<hosted>s/{resource id}`. */
const removeHosted = (api: SchedulerApi) => async (req: Req) => {
  authorize(req, `delete_${api.hosted}`);
  await api.scheduler(req).remove(req.params.id!, req.params.resource_id!);
  return undefined;
};

/** `GET /v2.0/<collection>/{id}/<hosting>`: the agents hosting a network or router. */
const listHosting = (api: SchedulerApi) => async (req: Req) => {
  authorize(req, `get_${api.hosting}`);
  const ctx = contextOf(req);
  await visible(ctx, api.def, req.services.resources[api.def.resource]!, req.params.id!);
  const agents = await api.scheduler(req).agentsOf(req.params.id!);
  return { agents: agents.map((a) => resourceView(req.services, ctx, agentDefinition, a, a, [])) };
};

export const listDhcpNetworks = listHosted(dhcp);
export const addDhcpNetwork = addHosted(dhcp);
export const removeDhcpNetwork = removeHosted(dhcp);
export const listDhcpAgents = listHosting(dhcp);
export const listL3Routers = listHosted(l3);
export const addL3Router = addHosted(l3);
export const removeL3Router = removeHosted(l3);
export const listL3Agents = listHosting(l3);
