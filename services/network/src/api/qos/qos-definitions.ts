import {
  type AttributeMap,
  type AttributeSpec,
  filterAs,
  isOneOf,
  isString,
  isUuid,
  isUuidOrNone,
  standardAttributes,
  toBoolean,
  toInt,
  type Validator,
} from '../attribute-spec';
import type { ResourceDefinition } from '../resource-definition';
import { NOT_SPECIFIED } from '../subnets/subnet-definition';

const bool: AttributeSpec = {
  post: true,
  put: true,
  default: false,
  convert: toBoolean,
  filter: true,
  sort: true,
  convertFilter: filterAs.boolean,
};

/** QoS policies (`qos`, `qos-default`): their rules are shown inline, read-only. */
export const qosPolicyDefinition: ResourceDefinition = {
  resource: 'policy',
  collection: 'policies',
  path: '/qos/policies',
  attributes: {
    ...standardAttributes(),
    shared: bool,
    is_default: bool,
    rules: { post: false, put: false },
  },
};

/** neutron_lib's VALID_DSCP_MARKS. */
export const VALID_DSCP_MARKS = [
  0, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 44, 46, 48, 56,
];

const MAX_INT = 2 ** 31 - 1;
const inRange =
  (min: number, max: number): Validator =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? undefined
      : `'${typeof v === 'string' ? v : JSON.stringify(v)}' is not in range ${min} through ${max}`;
const toIntIfNumeric = (v: unknown) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? toInt(v) : v);

const kbps = (required: boolean): AttributeSpec => ({
  post: true,
  put: true,
  ...(required ? {} : { default: 0 }),
  convert: toIntIfNumeric,
  validate: inRange(0, MAX_INT),
  filter: true,
  sort: true,
  convertFilter: filterAs.int,
});

/** One kind of QoS rule: its names, the directions it may have and its own attributes. */
export interface QosRuleKind {
  /** The rule type (`bandwidth_limit`). */
  type: string;
  /** Singular body key (`bandwidth_limit_rule`). */
  resource: string;
  /** Plural body key and path segment (`bandwidth_limit_rules`). */
  collection: string;
  /** Directions allowed, the first the default; none for DSCP marking. */
  directions: readonly string[];
  /** The rule's own attributes (besides id and direction). */
  fields: AttributeMap;
}

/** The rule kinds Zed's QoS plugin offers. */
export const qosRuleKinds: readonly QosRuleKind[] = [
  {
    type: 'bandwidth_limit',
    resource: 'bandwidth_limit_rule',
    collection: 'bandwidth_limit_rules',
    directions: ['egress', 'ingress'],
    fields: { max_kbps: kbps(true), max_burst_kbps: kbps(false) },
  },
  {
    type: 'dscp_marking',
    resource: 'dscp_marking_rule',
    collection: 'dscp_marking_rules',
    directions: [],
    fields: {
      dscp_mark: {
        post: true,
        put: true,
        convert: toIntIfNumeric,
        validate: isOneOf(VALID_DSCP_MARKS),
        filter: true,
        sort: true,
        convertFilter: filterAs.int,
      },
    },
  },
  {
    type: 'minimum_bandwidth',
    resource: 'minimum_bandwidth_rule',
    collection: 'minimum_bandwidth_rules',
    directions: ['egress', 'ingress'],
    fields: { min_kbps: kbps(true) },
  },
  {
    type: 'minimum_packet_rate',
    resource: 'minimum_packet_rate_rule',
    collection: 'minimum_packet_rate_rules',
    directions: ['egress', 'ingress', 'any'],
    fields: { min_kpps: kbps(true) },
  },
];

/** The attribute map of a rule kind, as its sub-resource API parses bodies. */
export function qosRuleAttributes(kind: QosRuleKind): AttributeMap {
  return {
    id: { post: false, put: false, validate: isUuid, filter: true, sort: true },
    // Parsing fills the caller's project; rules are not shown with one.
    project_id: { post: true, put: false, validate: isString(255), visible: false },
    tenant_id: { post: true, put: false, validate: isString(255), visible: false },
    ...(kind.directions.length
      ? {
          direction: {
            post: true,
            put: true,
            default: kind.directions[0],
            validate: isOneOf(kind.directions),
            filter: true,
            sort: true,
          },
        }
      : {}),
    ...kind.fields,
  };
}

/** `qos_policy_id` on networks and ports (`qos`), `qos_network_policy_id` on ports. */
export function withQosPolicyAttribute(def: ResourceDefinition): ResourceDefinition {
  const extra: AttributeMap = {
    // Unset is not null: a network made without one gets its project's default policy.
    qos_policy_id: {
      post: true,
      put: true,
      default: NOT_SPECIFIED,
      validate: (v) => (v === NOT_SPECIFIED ? undefined : isUuidOrNone(v)),
    },
  };
  if (def.resource === 'port') extra.qos_network_policy_id = { post: false, put: false };
  return { ...def, attributes: { ...def.attributes, ...extra } };
}
