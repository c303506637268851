import type { ApiRequest } from '@nimbus/http';
import type { Resource } from '../db/resource-store';
import { NeutronError, notFoundErrors } from '../manager/network-errors';
import { type CallContext, callContext } from './call-context';
import type { NetworkServices } from './network-services';
import type { ResourceDefinition, ResourceHandlers } from './resource-definition';

type Req = ApiRequest<unknown, NetworkServices>;

/** The context of a request, and whether it may act for other projects. */
export const contextOf = (req: Req): CallContext => callContext(req, req.services.policy);

/** Resolves a resource the caller may see, or the resource's not-found error. */
export async function visible(
  ctx: CallContext,
  def: ResourceDefinition,
  handlers: ResourceHandlers,
  id: string,
): Promise<Resource> {
  const item = await handlers.get(ctx, id);
  if (!item || !ctx.allowed(`get_${def.resource}`, await targetOf(ctx, handlers, item))) {
    throw (
      (notFoundErrors as Record<string, (id: string) => NeutronError>)[def.resource]?.(id) ??
      new NeutronError('not_found', 'HTTPNotFound', 'The resource could not be found.')
    );
  }
  return item;
}

/** The resource and what its handlers add for policy checks. */
export async function targetOf(
  ctx: CallContext,
  handlers: ResourceHandlers,
  item: Resource,
): Promise<Record<string, unknown>> {
  return { ...item, ...(handlers.policyTarget ? await handlers.policyTarget(ctx, item) : {}) };
}
