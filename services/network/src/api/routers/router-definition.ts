import {
  filterAs,
  isCidr,
  isDict,
  isIpAddress,
  isIpAddressOrNone,
  isListOf,
  isString,
  isUuid,
  isUuidOrNone,
  standardAttributes,
  toBoolean,
} from '../attribute-spec';
import type { ResourceDefinition } from '../resource-definition';

const isGatewayInfo = (v: unknown) => {
  if (v === null) return undefined;
  const bad = isDict(v);
  if (bad) return bad;
  const g = v as Record<string, unknown>;
  const extra = Object.keys(g).filter(
    (k) => !['network_id', 'enable_snat', 'external_fixed_ips'].includes(k),
  );
  if (extra.length) return `Unexpected keys supplied: ${extra.join(', ')}`;
  if (g.network_id === undefined)
    return "Validation of dictionary's keys failed. Expected keys: {'network_id'} Provided keys: set()";
  return (
    isUuid(g.network_id) ??
    (g.external_fixed_ips === undefined ? undefined : isListOf(isDict)(g.external_fixed_ips))
  );
};

/** Routers with their external gateway (SNAT mode, fixed IPs) and availability zones. */
export const routerDefinition: ResourceDefinition = {
  resource: 'router',
  collection: 'routers',
  path: '/routers',
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
    external_gateway_info: {
      // An empty gateway is no gateway (Neutron clears it).
      convert: (v: unknown) =>
        v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 ? null : v,
      post: true,
      put: true,
      default: null,
      validate: isGatewayInfo,
      enforcePolicy: true,
    },
    availability_zone_hints: { post: true, put: false, default: [], validate: isListOf(isString(255)) },
    availability_zones: { post: false, put: false },
    routes: {
      post: false,
      put: true,
      convert: (v: unknown) => (v === null ? [] : v),
      validate: isListOf(
        (r) =>
          isDict(r) ??
          (Object.keys(r as object).every((k) => k === 'destination' || k === 'nexthop')
            ? undefined
            : `'${JSON.stringify(r)}' has unexpected keys`) ??
          isCidr((r as { destination?: unknown }).destination) ??
          isIpAddress((r as { nexthop?: unknown }).nexthop),
      ),
    },
  },
};

/** Floating IPs, with the details of the port they point at. */
export const floatingIpDefinition: ResourceDefinition = {
  resource: 'floatingip',
  collection: 'floatingips',
  path: '/floatingips',
  attributes: {
    ...standardAttributes({ name: false }),
    floating_ip_address: {
      post: true,
      put: false,
      default: null,
      validate: isIpAddressOrNone,
      filter: true,
      sort: true,
      enforcePolicy: true,
    },
    subnet_id: { post: true, put: false, default: null, validate: isUuidOrNone, visible: false },
    floating_network_id: { post: true, put: false, validate: isUuid, filter: true, sort: true },
    router_id: { post: false, put: false, filter: true, sort: true },
    port_id: { post: true, put: true, default: null, validate: isUuidOrNone, filter: true, sort: true },
    fixed_ip_address: {
      post: true,
      put: true,
      default: null,
      validate: isIpAddressOrNone,
      filter: true,
      sort: true,
    },
    status: { post: false, put: false, filter: true, sort: true },
    port_details: { post: false, put: false },
  },
};
