import { filterAs, isString, isStringOrNone, isUuid, toInt } from '../attribute-spec';
import type { ResourceDefinition } from '../resource-definition';

const hidden = { post: true, put: false, visible: false, validate: isString(255) };

/** ML2 network segments (the `segment` extension): a network's type, physical network and id. */
export const segmentDefinition: ResourceDefinition = {
  resource: 'segment',
  collection: 'segments',
  path: '/segments',
  attributes: {
    id: { post: false, put: false, validate: isUuid, filter: true, sort: true },
    project_id: hidden,
    tenant_id: hidden,
    network_id: { post: true, put: false, validate: isUuid, filter: true, sort: true },
    name: { post: true, put: true, default: null, validate: isStringOrNone(255), filter: true, sort: true },
    description: { post: true, put: true, default: '', validate: isString(255), filter: true, sort: true },
    network_type: { post: true, put: false, validate: isString(32), filter: true, sort: true },
    physical_network: {
      post: true,
      put: false,
      default: null,
      validate: isStringOrNone(64),
      filter: true,
      sort: true,
    },
    segmentation_id: {
      post: true,
      put: false,
      default: null,
      convert: (v) => (v === null ? null : toInt(v)),
      filter: true,
      sort: true,
      convertFilter: filterAs.int,
    },
    created_at: { post: false, put: false, filter: true, sort: true },
    updated_at: { post: false, put: false, filter: true, sort: true },
    revision_number: { post: false, put: false, filter: true, sort: true, convertFilter: filterAs.int },
  },
};
