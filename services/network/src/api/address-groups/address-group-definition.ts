import { isCidr, isListOf, standardAttributes } from '../attribute-spec';
import type { ResourceDefinition } from '../resource-definition';

/** Address groups (`address-group`): addresses are CIDRs, kept in their network form. */
export const addressGroupDefinition: ResourceDefinition = {
  resource: 'address_group',
  collection: 'address_groups',
  path: '/address-groups',
  attributes: {
    ...standardAttributes(),
    addresses: { post: true, put: false, default: [], validate: isListOf(isCidr) },
  },
};
