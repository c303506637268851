import type { ApiRequest } from '@nimbus/http';
import type { AddressGroupManager } from '../../manager/address-group-manager';
import { httpBadRequest } from '../../manager/network-errors';
import { policyNotAuthorized } from '../call-context';
import type { NetworkServices } from '../network-services';
import { contextOf, targetOf, visible } from '../resource-access';
import { resourceView } from '../resource-view';
import { addressGroupDefinition } from './address-group-definition';

type Req = ApiRequest<unknown, NetworkServices>;

/** `PUT /v2.0/address-groups/{id}/add_addresses` and `.../remove_addresses`. */
export const changeAddresses = (action: 'add_addresses' | 'remove_addresses') => async (req: Req) => {
  const ctx = contextOf(req);
  const groups = req.services.resources.address_group as AddressGroupManager;
  const body = req.body as { addresses?: unknown } | undefined;
  if (!body || typeof body !== 'object' || !Array.isArray(body.addresses))
    throw httpBadRequest('Invalid input for addresses. Reason: a list of addresses is required.');
  const current = await visible(ctx, addressGroupDefinition, groups, req.params.id!);
  const target = await targetOf(ctx, groups, current);
  if (!ctx.allowed(action, target)) throw policyNotAuthorized([action]);
  const updated =
    action === 'add_addresses'
      ? await groups.addAddresses(current, body.addresses)
      : await groups.removeAddresses(current, body.addresses);
  return { address_group: resourceView(req.services, ctx, addressGroupDefinition, updated, target, []) };
};
