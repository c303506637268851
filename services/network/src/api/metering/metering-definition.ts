import { type AttributeMap, filterAs, isCidr, isOneOf, isString, isUuid, toBoolean } from '../attribute-spec';
import type { ResourceDefinition } from '../resource-definition';

const isCidrOrNone = (v: unknown) => (v === null ? undefined : isCidr(v));

/** Metering objects have an id and a project but none of the standard attributes upstream. */
const idAndProject: AttributeMap = {
  id: { post: false, put: false, validate: isUuid, filter: true, sort: true },
  project_id: { post: true, put: false, validate: isString(255), filter: true, sort: true },
  tenant_id: { post: true, put: false, validate: isString(255), filter: true, sort: true },
};

const prefix = {
  post: true,
  put: false,
  default: null,
  validate: isCidrOrNone,
  filter: true,
  sort: true,
};

/** Metering labels (`metering`): a named set of traffic counted per router. */
export const meteringLabelDefinition: ResourceDefinition = {
  resource: 'metering_label',
  collection: 'metering_labels',
  path: '/metering/metering-labels',
  attributes: {
    ...idAndProject,
    name: { post: true, put: false, default: '', validate: isString(255), filter: true, sort: true },
    description: {
      post: true,
      put: false,
      default: '',
      validate: isString(1024),
      filter: true,
      sort: true,
    },
    shared: {
      post: true,
      put: false,
      default: false,
      convert: toBoolean,
      filter: true,
      sort: true,
      convertFilter: filterAs.boolean,
    },
  },
};

/** Metering label rules: which direction and prefixes a label counts, or excludes. */
export const meteringLabelRuleDefinition: ResourceDefinition = {
  resource: 'metering_label_rule',
  collection: 'metering_label_rules',
  path: '/metering/metering-label-rules',
  attributes: {
    ...idAndProject,
    metering_label_id: { post: true, put: false, validate: isUuid, filter: true, sort: true },
    direction: {
      post: true,
      put: false,
      validate: isOneOf(['ingress', 'egress']),
      filter: true,
      sort: true,
    },
    excluded: {
      post: true,
      put: false,
      default: false,
      convert: toBoolean,
      filter: true,
      sort: true,
      convertFilter: filterAs.boolean,
    },
    remote_ip_prefix: prefix,
    source_ip_prefix: prefix,
    destination_ip_prefix: prefix,
  },
};
