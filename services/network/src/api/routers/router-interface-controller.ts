import type { ApiRequest } from '@nimbus/http';
import { badRequest } from '../../manager/network-errors';
import type { RouterManager } from '../../manager/router-manager';
import { policyNotAuthorized } from '../call-context';
import type { NetworkServices } from '../network-services';
import { contextOf, targetOf, visible } from '../resource-access';
import { routerDefinition } from './router-definition';

type Req = ApiRequest<unknown, NetworkServices>;

function interfaceInfo(body: unknown): { subnet_id?: string; port_id?: string } {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  for (const key of ['subnet_id', 'port_id'] as const) {
    const v = b[key];
    // Ids are strings; anything else was a 500 (the fuzzer found it) and is Neutron's 400.
    if (v !== undefined && v !== null && typeof v !== 'string')
      throw badRequest(
        'router',
        `Invalid input for ${key}. Reason: '${JSON.stringify(v)}' is not a valid UUID.`,
      );
  }
  const subnet = (b.subnet_id ?? undefined) as string | undefined;
  const port = (b.port_id ?? undefined) as string | undefined;
  if (!subnet && !port) throw badRequest('router', 'Either subnet_id or port_id must be specified');
  if (subnet && port) throw badRequest('router', 'Cannot specify both subnet-id and port-id');
  return port ? { port_id: port } : { subnet_id: subnet! };
}

async function onRouter(req: Req, action: 'add_router_interface' | 'remove_router_interface') {
  const ctx = contextOf(req);
  const routers = req.services.resources.router as RouterManager;
  const info = interfaceInfo(req.body);
  const router = await visible(ctx, routerDefinition, routers, req.params.id!);
  if (!ctx.allowed(action, { ...(await targetOf(ctx, routers, router)), ...info }))
    throw policyNotAuthorized([action]);
  return action === 'add_router_interface'
    ? routers.addInterface(ctx, router, info)
    : routers.removeInterface(ctx, router, info);
}

/** `PUT /v2.0/routers/{id}/add_router_interface`: answers the interface (router, port, subnets). */
export const addRouterInterface = (req: Req) => onRouter(req, 'add_router_interface');
/** `PUT /v2.0/routers/{id}/remove_router_interface`. */
export const removeRouterInterface = (req: Req) => onRouter(req, 'remove_router_interface');
