import type { ApiRequest } from '@nimbus/http';
import { httpBadRequest } from '../../manager/network-errors';
import type { TrunkManager } from '../../manager/trunk-manager';
import { policyNotAuthorized } from '../call-context';
import type { NetworkServices } from '../network-services';
import { contextOf, targetOf, visible } from '../resource-access';
import { resourceView } from '../resource-view';
import { trunkDefinition } from './trunk-definition';

type Req = ApiRequest<unknown, NetworkServices>;

async function trunkFor(req: Req, action: string) {
  const ctx = contextOf(req);
  const trunks = req.services.resources.trunk as TrunkManager;
  const current = await visible(ctx, trunkDefinition, trunks, req.params.id!);
  const target = await targetOf(ctx, trunks, current);
  if (!ctx.allowed(action, target)) throw policyNotAuthorized([action]);
  return { ctx, trunks, current, target };
}

/** `GET /v2.0/trunks/{id}/get_subports`. */
export async function getSubports(req: Req) {
  const { current } = await trunkFor(req, 'get_subports');
  return { sub_ports: current.sub_ports };
}

/** `PUT /v2.0/trunks/{id}/add_subports` and `.../remove_subports`: answer the whole trunk, unwrapped. */
export const changeSubports = (action: 'add_subports' | 'remove_subports') => async (req: Req) => {
  const body = req.body as { sub_ports?: unknown } | undefined;
  if (!body || typeof body !== 'object' || !('sub_ports' in body))
    throw httpBadRequest("Failed to parse request. Required attribute 'sub_ports' not specified");
  const { ctx, trunks, current, target } = await trunkFor(req, action);
  const updated =
    action === 'add_subports'
      ? await trunks.addSubports(current, body.sub_ports)
      : await trunks.removeSubports(current, body.sub_ports);
  return resourceView(req.services, ctx, trunkDefinition, updated, target, []);
};
