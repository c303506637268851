import { httpBadRequest } from '../../manager/network-errors';
import {
  filterAs,
  isListOf,
  isNonNegative,
  isString,
  isStringOrNone,
  standardAttributes,
  toBoolean,
  toIntOrNone,
} from '../attribute-spec';
import type { ResourceDefinition } from '../resource-definition';

const SEGMENT_KEYS = ['provider:network_type', 'provider:physical_network', 'provider:segmentation_id'];

/** multi-provider's `segments`: a list of provider attribute dicts, ids converted to integers. */
function convertSegments(value: unknown): unknown {
  if (value === null) return null;
  if (!Array.isArray(value))
    throw httpBadRequest(`Invalid input for segments. Reason: '${JSON.stringify(value)}' is not a list.`);
  return value.map((seg) => {
    if (!seg || typeof seg !== 'object' || Array.isArray(seg))
      throw httpBadRequest(
        `Invalid input for segments. Reason: '${JSON.stringify(seg)}' is not a dictionary.`,
      );
    const unknown = Object.keys(seg).filter((k) => !SEGMENT_KEYS.includes(k));
    if (unknown.length) throw httpBadRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
    const s = seg as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of SEGMENT_KEYS) out[k] = s[k] ?? null;
    for (const k of SEGMENT_KEYS.slice(0, 2)) {
      const reason = isStringOrNone(k.endsWith('type') ? 255 : 64)(out[k]);
      if (reason) throw httpBadRequest(`Invalid input for ${k}. Reason: ${reason}.`);
    }
    out['provider:segmentation_id'] = toIntOrNone(out['provider:segmentation_id']);
    return out;
  });
}

const bool = (dflt: boolean | undefined, extra: { put?: boolean; enforcePolicy?: boolean } = {}) => ({
  post: true,
  put: extra.put ?? true,
  ...(dflt === undefined ? {} : { default: dflt }),
  convert: toBoolean,
  filter: true,
  sort: true,
  convertFilter: filterAs.boolean,
  ...(extra.enforcePolicy ? { enforcePolicy: true } : {}),
});

/** Networks: the core attributes with provider, external, MTU, port security, AZ and L2 adjacency extensions. */
export const networkDefinition: ResourceDefinition = {
  resource: 'network',
  collection: 'networks',
  path: '/networks',
  attributes: {
    ...standardAttributes(),
    admin_state_up: bool(true, { enforcePolicy: false }),
    status: { post: false, put: false, filter: true, sort: true },
    subnets: { post: false, put: false, default: [], filter: true },
    shared: bool(false, { enforcePolicy: true }),
    'router:external': bool(false, { enforcePolicy: true }),
    mtu: {
      post: true,
      put: true,
      default: 0,
      convert: toIntOrNone,
      validate: isNonNegative,
      filter: true,
      sort: true,
      convertFilter: filterAs.int,
    },
    port_security_enabled: bool(true, { enforcePolicy: true }),
    'provider:network_type': {
      post: true,
      put: true,
      default: null,
      validate: isStringOrNone(255),
      filter: true,
      sort: true,
      enforcePolicy: true,
    },
    'provider:physical_network': {
      post: true,
      put: true,
      default: null,
      validate: isStringOrNone(64),
      filter: true,
      sort: true,
      enforcePolicy: true,
    },
    'provider:segmentation_id': {
      post: true,
      put: true,
      default: null,
      convert: toIntOrNone,
      filter: true,
      sort: true,
      convertFilter: filterAs.int,
      enforcePolicy: true,
    },
    segments: {
      post: true,
      put: true,
      default: null,
      convert: convertSegments,
      enforcePolicy: true,
    },
    availability_zone_hints: { post: true, put: false, default: [], validate: isListOf(isString(255)) },
    availability_zones: { post: false, put: false },
    l2_adjacency: { post: false, put: false },
    ipv4_address_scope: { post: false, put: false },
    ipv6_address_scope: { post: false, put: false },
  },
};
