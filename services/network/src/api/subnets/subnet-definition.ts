import {
  filterAs,
  isCidr,
  isDict,
  isIpAddress,
  isIpAddressOrNone,
  isListOf,
  isOneOf,
  isString,
  isUuid,
  isUuidOrNone,
  standardAttributes,
  toBoolean,
  toInt,
} from '../attribute-spec';
import type { ResourceDefinition } from '../resource-definition';

/** What a create gets for attributes Neutron computes when they are not given. */
export const NOT_SPECIFIED = '<not specified>';

const IPV6_MODES = [null, 'slaac', 'dhcpv6-stateful', 'dhcpv6-stateless'];
const notSpecifiedOr = (v: (x: unknown) => string | undefined) => (x: unknown) =>
  x === NOT_SPECIFIED ? undefined : v(x);

/** Subnets: the core attributes with standard attributes, service types, segments and DNS publishing. */
export const subnetDefinition: ResourceDefinition = {
  resource: 'subnet',
  collection: 'subnets',
  path: '/subnets',
  attributes: {
    ...standardAttributes(),
    network_id: { post: true, put: false, validate: isUuid, filter: true, sort: true },
    ip_version: {
      post: true,
      put: false,
      convert: toInt,
      validate: isOneOf([4, 6]),
      filter: true,
      sort: true,
      convertFilter: filterAs.int,
    },
    cidr: {
      post: true,
      put: false,
      default: NOT_SPECIFIED,
      validate: notSpecifiedOr(isCidr),
      filter: true,
      sort: true,
    },
    prefixlen: { post: true, put: false, default: NOT_SPECIFIED, visible: false },
    use_default_subnetpool: { post: true, put: false, default: false, convert: toBoolean, visible: false },
    subnetpool_id: {
      post: true,
      put: false,
      default: null,
      validate: isUuidOrNone,
      filter: true,
      sort: true,
    },
    gateway_ip: {
      post: true,
      put: true,
      default: NOT_SPECIFIED,
      validate: notSpecifiedOr(isIpAddressOrNone),
      filter: true,
      sort: true,
    },
    allocation_pools: {
      post: true,
      put: true,
      default: NOT_SPECIFIED,
      validate: notSpecifiedOr(
        isListOf(
          (p) =>
            isDict(p) ??
            isIpAddress((p as { start?: unknown }).start) ??
            isIpAddress((p as { end?: unknown }).end),
        ),
      ),
    },
    dns_nameservers: { post: true, put: true, default: [], validate: isListOf(isIpAddress), filter: true },
    host_routes: {
      post: true,
      put: true,
      default: [],
      validate: isListOf(
        (r) =>
          isDict(r) ??
          isCidr((r as { destination?: unknown }).destination) ??
          isIpAddress((r as { nexthop?: unknown }).nexthop),
      ),
      filter: true,
    },
    enable_dhcp: {
      post: true,
      put: true,
      default: true,
      convert: toBoolean,
      filter: true,
      sort: true,
      convertFilter: filterAs.boolean,
    },
    ipv6_ra_mode: {
      post: true,
      put: false,
      default: null,
      validate: isOneOf(IPV6_MODES),
      filter: true,
      sort: true,
    },
    ipv6_address_mode: {
      post: true,
      put: false,
      default: null,
      validate: isOneOf(IPV6_MODES),
      filter: true,
      sort: true,
    },
    service_types: { post: true, put: true, default: [], validate: isListOf(isString(255)), filter: true },
    segment_id: { post: true, put: true, default: null, validate: isUuidOrNone, filter: true, sort: true },
    // Whether the subnet's network is shared: not shown, but a filter, as upstream.
    shared: { post: false, put: false, visible: false, filter: true, convertFilter: filterAs.boolean },
    dns_publish_fixed_ip: {
      post: true,
      put: true,
      default: false,
      convert: toBoolean,
      filter: true,
      convertFilter: filterAs.boolean,
    },
  },
};
