import {
  filterAs,
  isDict,
  isListOf,
  isOneOf,
  isString,
  isUuid,
  isUuidList,
  standardAttributes,
  toBoolean,
} from '../attribute-spec';
import type { ResourceDefinition } from '../resource-definition';
import { NOT_SPECIFIED } from '../subnets/subnet-definition';

const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i;
const isMac = (v: unknown) =>
  v === NOT_SPECIFIED || (typeof v === 'string' && MAC.test(v))
    ? undefined
    : `'${v}' is not a valid MAC address`;
const isFixedIps = isListOf((ip) => {
  if (isDict(ip)) return isDict(ip);
  const extra = Object.keys(ip as object).filter((k) => k !== 'subnet_id' && k !== 'ip_address');
  return extra.length ? `Unrecognized attribute(s) '${extra.join(', ')}'` : undefined;
});

/** Ports: core attributes with bindings, security groups, port security, address pairs, DHCP options and DNS. */
export const portDefinition: ResourceDefinition = {
  resource: 'port',
  collection: 'ports',
  path: '/ports',
  attributes: {
    ...standardAttributes(),
    network_id: { post: true, put: false, validate: isUuid, filter: true, sort: true },
    admin_state_up: {
      post: true,
      put: true,
      default: true,
      convert: toBoolean,
      filter: true,
      sort: true,
      convertFilter: filterAs.boolean,
    },
    mac_address: {
      post: true,
      put: true,
      default: NOT_SPECIFIED,
      validate: isMac,
      filter: true,
      sort: true,
      enforcePolicy: true,
    },
    fixed_ips: {
      post: true,
      put: true,
      default: NOT_SPECIFIED,
      validate: (v) => (v === NOT_SPECIFIED ? undefined : isFixedIps(v)),
      filter: true,
      enforcePolicy: true,
    },
    device_id: { post: true, put: true, default: '', validate: isString(255), filter: true, sort: true },
    device_owner: {
      post: true,
      put: true,
      default: '',
      validate: isString(255),
      filter: true,
      sort: true,
      enforcePolicy: true,
    },
    status: { post: false, put: false, filter: true, sort: true },
    security_groups: {
      post: true,
      put: true,
      default: NOT_SPECIFIED,
      validate: (v) => (v === NOT_SPECIFIED ? undefined : isUuidList(v)),
      filter: true,
    },
    port_security_enabled: {
      post: true,
      put: true,
      default: NOT_SPECIFIED,
      convert: toBoolean,
      filter: true,
      enforcePolicy: true,
    },
    allowed_address_pairs: {
      post: true,
      put: true,
      default: [],
      validate: isListOf(isDict),
      enforcePolicy: true,
    },
    extra_dhcp_opts: { post: true, put: true, default: [], validate: isListOf(isDict) },
    'binding:host_id': {
      post: true,
      put: true,
      default: '',
      validate: isString(255),
      filter: true,
      enforcePolicy: true,
    },
    'binding:vnic_type': {
      post: true,
      put: true,
      default: 'normal',
      validate: isOneOf([
        'normal',
        'direct',
        'macvtap',
        'baremetal',
        'direct-physical',
        'virtio-forwarder',
        'smart-nic',
        'vdpa',
        'accelerator-direct',
        'accelerator-direct-physical',
        'remote-managed',
      ]),
      filter: true,
      enforcePolicy: true,
    },
    'binding:profile': { post: true, put: true, default: {}, validate: isDict, enforcePolicy: true },
    'binding:vif_type': { post: false, put: false, enforcePolicy: true },
    'binding:vif_details': { post: false, put: false, enforcePolicy: true },
    dns_name: { post: true, put: true, default: '', validate: isString(255), filter: true },
    dns_assignment: { post: false, put: false },
    propagate_uplink_status: { post: true, put: true, default: false, convert: toBoolean },
    ip_allocation: { post: false, put: false },
    resource_request: { post: false, put: false },
  },
};
