import type { RpcContext } from '@nimbus/bus';
import type { ApiRequest } from '@nimbus/http';
import type { Instance } from '../db/instance-repository';
import { InstanceNotFound } from '../manager/compute-errors';
import type { CallerContext } from '../manager/server-manager';
import type { ComputeServices } from './compute-services';

/** A compute API request. */
export type ComputeRequest<B = any> = ApiRequest<B, ComputeServices>;

/** The RPC context of the caller (what travels with casts to the conductor and agents). */
export function rpcContext(req: ComputeRequest): RpcContext {
  const c = req.credentials;
  return {
    requestId: req.requestId,
    ...(req.globalRequestId ? { globalRequestId: req.globalRequestId } : {}),
    userId: c.userId,
    userName: c.userName,
    projectId: c.projectId,
    projectName: c.projectName,
    roles: c.roles,
    isAdmin: c.roles.includes('admin'),
  };
}

/** Whether the caller passes `context_is_admin`. */
export function isAdmin(req: ComputeRequest): boolean {
  return req.allowed('context_is_admin', {});
}

/** The caller as the managers see it, with clients acting for them. */
export function callerContext(req: ComputeRequest): CallerContext {
  return {
    rpc: rpcContext(req),
    projectId: req.credentials.projectId ?? '',
    userId: req.credentials.userId,
    isAdmin: isAdmin(req),
    clients: req.services.clients.forRequest(req),
  };
}

/**
 * A server the caller may see, after the policy check `action` against its project; 404 for a
 * server of another project unless the policy lets the caller act there (as Nova's).
 */
export async function findServer(req: ComputeRequest, id: string, action: string): Promise<Instance> {
  const i = await req.services.instances.get(id);
  if (!i) throw new InstanceNotFound(id);
  // Another project's server does not exist for the caller (Nova reads servers project-scoped).
  if (i.projectId !== req.credentials.projectId && !isAdmin(req)) throw new InstanceNotFound(id);
  req.authorize(action, { project_id: i.projectId, user_id: i.userId });
  return i;
}
