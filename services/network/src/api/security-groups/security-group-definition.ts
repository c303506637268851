import { NeutronError } from '../../manager/network-errors';
import {
  filterAs,
  isIpAddress,
  isOneOf,
  isString,
  isUuidOrNone,
  standardAttributes,
  toBoolean,
  toIntOrNone,
} from '../attribute-spec';
import type { ResourceDefinition } from '../resource-definition';

/** neutron's convert_ip_prefix_to_cidr: an address gets its host prefix; host bits stay. */
const toPrefix = (v: unknown) => {
  if (v === null || v === '' || v === undefined) return null;
  const text = String(v);
  const [addr, len, extra] = text.split('/');
  const valid =
    extra === undefined &&
    isIpAddress(addr) === undefined &&
    (len === undefined || (/^\d+$/.test(len) && Number(len) <= (addr!.includes(':') ? 128 : 32)));
  if (!valid)
    throw new NeutronError('bad_request', 'InvalidCIDR', `Invalid CIDR ${text} given as IP prefix.`);
  return len === undefined ? `${addr}/${addr!.includes(':') ? 128 : 32}` : text;
};

/** Security groups are never named `default` by their users (409 as upstream). */
const notDefault = (v: unknown) => {
  const r = isString(255)(v);
  if (r) return r;
  if ((v as string).toLowerCase() === 'default') {
    throw new NeutronError(
      'conflict',
      'SecurityGroupDefaultAlreadyExists',
      'Default security group already exists.',
    );
  }
  return undefined;
};

/** Security groups, with stateful and the rules they hold. */
export const securityGroupDefinition: ResourceDefinition = {
  resource: 'security_group',
  collection: 'security_groups',
  path: '/security-groups',
  attributes: {
    ...standardAttributes(),
    name: { post: true, put: true, default: '', validate: notDefault, filter: true, sort: true },
    stateful: {
      post: true,
      put: true,
      default: true,
      convert: toBoolean,
      filter: true,
      sort: true,
      convertFilter: filterAs.boolean,
    },
    security_group_rules: { post: false, put: false },
  },
};

/** Security group rules. */
export const securityGroupRuleDefinition: ResourceDefinition = {
  resource: 'security_group_rule',
  collection: 'security_group_rules',
  path: '/security-group-rules',
  attributes: {
    ...standardAttributes({ name: false }),
    security_group_id: { post: true, put: false, validate: isString(36), filter: true, sort: true },
    // Not validated as a UUID: an unknown group is a 404, as upstream.
    remote_group_id: { post: true, put: false, default: null, filter: true, sort: true },
    remote_address_group_id: {
      post: true,
      put: false,
      default: null,
      validate: isUuidOrNone,
      filter: true,
      sort: true,
    },
    direction: { post: true, put: false, validate: isOneOf(['ingress', 'egress']), filter: true, sort: true },
    protocol: {
      post: true,
      put: false,
      default: null,
      convert: (v) => (typeof v === 'string' ? v.toLowerCase() : typeof v === 'number' ? String(v) : v),
      filter: true,
      sort: true,
    },
    port_range_min: {
      post: true,
      put: false,
      default: null,
      convert: toIntOrNone,
      filter: true,
      sort: true,
      convertFilter: filterAs.int,
    },
    port_range_max: {
      post: true,
      put: false,
      default: null,
      convert: toIntOrNone,
      filter: true,
      sort: true,
      convertFilter: filterAs.int,
    },
    ethertype: {
      post: true,
      put: false,
      default: 'IPv4',
      validate: isOneOf(['IPv4', 'IPv6']),
      filter: true,
      sort: true,
    },
    remote_ip_prefix: { post: true, put: false, default: null, convert: toPrefix, filter: true, sort: true },
    normalized_cidr: { post: false, put: false },
  },
};
