import {
  filterAs,
  isCidr,
  isListOf,
  isNonNegative,
  isOneOf,
  isString,
  isUuidOrNone,
  standardAttributes,
  toBoolean,
  toInt,
} from '../attribute-spec';
import type { ResourceDefinition } from '../resource-definition';
import { NOT_SPECIFIED } from '../subnets/subnet-definition';

const int = (dflt: unknown) => ({
  post: true,
  put: true,
  default: dflt,
  convert: (v: unknown) => (v === null || v === NOT_SPECIFIED ? v : toInt(v)),
  validate: (v: unknown) => (v === null || v === NOT_SPECIFIED ? undefined : isNonNegative(v)),
  filter: true,
  sort: true,
  convertFilter: filterAs.int,
});
const bool = (put: boolean) => ({
  post: true,
  put,
  default: false,
  convert: toBoolean,
  filter: true,
  sort: true,
  convertFilter: filterAs.boolean,
  enforcePolicy: true,
});

/** Neutron shows a pool's prefix lengths as strings (its dict maker calls `str` on them). */
const asText = (v: unknown) => (v === null || v === undefined ? v : String(v));

/** Subnet pools (`subnet_allocation`, `address-scope`, `default-subnetpools`). */
export const subnetPoolDefinition: ResourceDefinition = {
  resource: 'subnetpool',
  collection: 'subnetpools',
  path: '/subnetpools',
  attributes: {
    ...standardAttributes(),
    name: { post: true, put: true, validate: notEmpty, filter: true, sort: true },
    prefixes: { post: true, put: true, validate: isListOf(isCidr) },
    default_quota: { ...int(null) },
    ip_version: { post: false, put: false, filter: true, sort: true, convertFilter: filterAs.int },
    default_prefixlen: { ...int(NOT_SPECIFIED), show: asText },
    min_prefixlen: { ...int(NOT_SPECIFIED), show: asText },
    max_prefixlen: { ...int(NOT_SPECIFIED), show: asText },
    is_default: bool(true),
    shared: bool(false),
    address_scope_id: {
      post: true,
      put: true,
      default: null,
      validate: isUuidOrNone,
      filter: true,
      sort: true,
      enforcePolicy: true,
    },
  },
};

/** Address scopes (`address-scope`). */
export const addressScopeDefinition: ResourceDefinition = {
  resource: 'address_scope',
  collection: 'address_scopes',
  path: '/address-scopes',
  attributes: {
    ...standardAttributes(),
    shared: { ...bool(true) },
    ip_version: {
      post: true,
      put: false,
      convert: (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
      validate: isOneOf([4, 6]),
      filter: true,
      sort: true,
      convertFilter: filterAs.int,
    },
  },
};

function notEmpty(v: unknown): string | undefined {
  const r = isString(255)(v);
  if (r) return r;
  return (v as string).trim() ? undefined : `'${v}' Blank strings are not permitted`;
}
