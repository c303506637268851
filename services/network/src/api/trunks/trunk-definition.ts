import { filterAs, isListOf, isUuid, standardAttributes, toBoolean } from '../attribute-spec';
import type { ResourceDefinition } from '../resource-definition';

/** Trunks (`trunk`): a parent port and its subports (changed only by the subport actions). */
export const trunkDefinition: ResourceDefinition = {
  resource: 'trunk',
  collection: 'trunks',
  path: '/trunks',
  attributes: {
    ...standardAttributes(),
    admin_state_up: {
      post: true,
      put: true,
      default: true,
      convert: toBoolean,
      filter: true,
      sort: true,
      convertFilter: filterAs.boolean,
    },
    status: { post: false, put: false, filter: true, sort: true },
    port_id: { post: true, put: false, validate: isUuid, filter: true, sort: true },
    sub_ports: { post: true, put: false, default: [], validate: isListOf(() => undefined) },
  },
};
