import { toBoolean } from '../attribute-spec';
import type { ResourceDefinition } from '../resource-definition';
import { NOT_SPECIFIED } from '../subnets/subnet-definition';

// Unset is not false: any value a caller gives is checked against the attribute's admin-only
// policy, as Neutron's ATTR_NOT_SPECIFIED default makes it.
const flag = {
  post: true,
  put: true,
  default: NOT_SPECIFIED,
  convert: (v: unknown) => (v === NOT_SPECIFIED ? v : toBoolean(v)),
  enforcePolicy: true,
};

/** The router with the `dvr` (`distributed`) and `l3-ha` (`ha`) attributes. */
export function withRouterFlags(router: ResourceDefinition): ResourceDefinition {
  return { ...router, attributes: { ...router.attributes, distributed: flag, ha: flag } };
}
