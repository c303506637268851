import ipaddr from 'ipaddr.js';
import { invalidInput } from '../manager/network-errors';

/** A validator answers the reason a value is invalid, or undefined. */
export type Validator = (value: unknown) => string | undefined;

/**
 * One attribute of a resource, as Neutron's attribute maps declare it: whether a create or an
 * update may set it, its default (absent: required on create), how it is converted and
 * validated, whether it is shown, filterable and sortable.
 */
export interface AttributeSpec {
  post: boolean;
  put: boolean;
  /** The value a create gets when the attribute is not given; a function is called each time. */
  default?: unknown;
  convert?: (value: unknown) => unknown;
  validate?: Validator;
  /** Shown in responses (default true). */
  visible?: boolean;
  /** `is_filter` (default false). */
  filter?: boolean;
  /** `is_sort_key` (default false). */
  sort?: boolean;
  /** Converts one filter value from the query string (default: as the string). */
  convertFilter?: (value: string) => unknown;
  /** The attribute has `<action>_<resource>:<attribute>` policies. */
  enforcePolicy?: boolean;
  /** How a response shows the value, when not as kept (Neutron shows pool prefix lengths as strings). */
  show?: (value: unknown) => unknown;
}

/** A resource's attribute map. */
export type AttributeMap = Record<string, AttributeSpec>;

const repr = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** `type:string` with an optional maximum length. */
export const isString =
  (maxLen?: number): Validator =>
  (v) => {
    if (typeof v !== 'string') return `'${repr(v)}' is not a valid string`;
    if (maxLen !== undefined && v.length > maxLen) return `'${v}' exceeds maximum length of ${maxLen}`;
    return undefined;
  };

/** `type:string_or_none`. */
export const isStringOrNone =
  (maxLen?: number): Validator =>
  (v) =>
    v === null ? undefined : isString(maxLen)(v);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `type:uuid`. */
export const isUuid: Validator = (v) =>
  typeof v === 'string' && UUID.test(v) ? undefined : `'${repr(v)}' is not a valid UUID`;
/** `type:uuid_or_none`. */
export const isUuidOrNone: Validator = (v) => (v === null ? undefined : isUuid(v));

/** `type:values`. */
export const isOneOf =
  (values: readonly unknown[]): Validator =>
  (v) =>
    values.includes(v)
      ? undefined
      : `'${repr(v)}' is not in [${values.map((x) => (x === null ? 'None' : `'${x}'`)).join(', ')}]`;

/** `type:ip_address`. */
export const isIpAddress: Validator = (v) =>
  typeof v === 'string' && ipaddr.isValid(v) && (v.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(v))
    ? undefined
    : `'${repr(v)}' is not a valid IP address`;
/** `type:ip_address_or_none`. */
export const isIpAddressOrNone: Validator = (v) => (v === null ? undefined : isIpAddress(v));

/** `type:subnet`: an address/prefix. */
export const isCidr: Validator = (v) => {
  if (typeof v !== 'string') return `'${repr(v)}' is not a valid IP subnet`;
  try {
    ipaddr.parseCIDR(v);
    return undefined;
  } catch {
    return `'${v}' is not a valid IP subnet`;
  }
};

/** `type:list_of_...`: every item valid. */
export const isListOf =
  (item: Validator): Validator =>
  (v) => {
    if (!Array.isArray(v)) return `'${repr(v)}' is not a list`;
    for (const x of v) {
      const r = item(x);
      if (r) return r;
    }
    return undefined;
  };

/** `type:uuid_list`: UUIDs, none twice. */
export const isUuidList: Validator = (v) => {
  const r = isListOf(isUuid)(v);
  if (r) return r;
  const list = v as string[];
  const dups = [...new Set(list.filter((x, i) => list.indexOf(x) !== i))];
  return dups.length ? `Duplicate items in the list: '${dups.join(', ')}'` : undefined;
};

/** `type:dict_or_none`/`type:dict_or_empty`. */
export const isDict: Validator = (v) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? undefined : `'${repr(v)}' is not a dictionary`;

/** `type:non_negative` integers. */
export const isNonNegative: Validator = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 ? undefined : `'${repr(v)}' should be non-negative`;

/** neutron_lib's convert_to_boolean. */
export function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
  if (typeof value === 'string') {
    const v = value.toLowerCase();
    if (['true', 't', 'yes', 'y', 'on', '1'].includes(v)) return true;
    if (['false', 'f', 'no', 'n', 'off', '0'].includes(v)) return false;
  }
  throw invalidInput(`'${repr(value)}' cannot be converted to boolean`);
}

/** neutron_lib's convert_to_int. */
export function toInt(value: unknown): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d+$/.test(value.trim())
        ? Number(value)
        : Number.NaN;
  if (!Number.isInteger(n)) throw invalidInput(`'${repr(value)}' is not an integer`);
  return n;
}

/** neutron_lib's convert_to_int_if_not_none. */
export const toIntOrNone = (value: unknown) => (value === null ? null : toInt(value));

/** Filter conversions from the query string. */
export const filterAs = {
  boolean: (v: string) => toBoolean(v),
  int: (v: string) => toInt(v),
};

/** The standard attributes every Neutron resource with a project has (name, project, description...). */
export function standardAttributes(opts: { name?: boolean } = {}): AttributeMap {
  return {
    id: { post: false, put: false, validate: isUuid, filter: true, sort: true },
    ...(opts.name !== false
      ? { name: { post: true, put: true, default: '', validate: isString(255), filter: true, sort: true } }
      : {}),
    project_id: { post: true, put: false, validate: isString(255), filter: true, sort: true },
    tenant_id: { post: true, put: false, validate: isString(255), filter: true, sort: true },
    description: { post: true, put: true, default: '', validate: isString(255), filter: true, sort: true },
    created_at: { post: false, put: false, filter: true, sort: true },
    updated_at: { post: false, put: false, filter: true, sort: true },
    revision_number: { post: false, put: false, filter: true, sort: true, convertFilter: filterAs.int },
    tags: { post: false, put: false, filter: true },
  };
}
