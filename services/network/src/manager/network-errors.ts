import { type ErrorCategory, NimbusError } from '@nimbus/errors';

/**
 * A Neutron exception: its class name is the fault's `type`, its category the HTTP status
 * (NotFound 404, BadRequest/InvalidInput 400, Conflict/InUse 409, NotAuthorized 403).
 */
export class NeutronError extends NimbusError {
  constructor(category: ErrorCategory, type: string, message: string, detail = '') {
    super(category, message, {
      type,
      detail,
      code: `NETWORK_${type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`,
    });
  }
}

const notFound = (type: string, message: string) => new NeutronError('not_found', type, message);
const conflict = (type: string, message: string) => new NeutronError('conflict', type, message);

/** webob's HTTPBadRequest with an explanation (Neutron's request parsing errors). */
export const httpBadRequest = (message: string) => new NeutronError('bad_request', 'HTTPBadRequest', message);
/** neutron_lib's InvalidInput. */
export const invalidInput = (message: string) =>
  new NeutronError('bad_request', 'InvalidInput', `Invalid input for operation: ${message}.`);
/** neutron_lib's BadRequest(resource, msg). */
export const badRequest = (resource: string, msg: string) =>
  new NeutronError('bad_request', 'BadRequest', `Bad ${resource} request: ${msg}.`);

/** The not-found errors of each resource, worded as upstream. */
export const notFoundErrors = {
  network: (id: string) => notFound('NetworkNotFound', `Network ${id} could not be found.`),
  subnet: (id: string) => notFound('SubnetNotFound', `Subnet ${id} could not be found.`),
  port: (id: string) => notFound('PortNotFound', `Port ${id} could not be found.`),
  security_group: (id: string) => notFound('SecurityGroupNotFound', `Security group ${id} does not exist`),
  security_group_rule: (id: string) =>
    notFound('SecurityGroupRuleNotFound', `Security group rule ${id} does not exist`),
  router: (id: string) => notFound('RouterNotFound', `Router ${id} could not be found`),
  floatingip: (id: string) => notFound('FloatingIPNotFound', `Floating IP ${id} could not be found`),
  segment: (id: string) => notFound('SegmentNotFound', `Segment ${id} could not be found.`),
  agent: (id: string) => notFound('AgentNotFound', `Agent ${id} could not be found.`),
  rbac_policy: (id: string) => notFound('RbacPolicyNotFound', `RBAC policy with ID ${id} not found`),
  subnetpool: (id: string) => notFound('SubnetPoolNotFound', `Subnet pool ${id} could not be found.`),
  address_scope: (id: string) => notFound('AddressScopeNotFound', `Address scope ${id} could not be found.`),
  policy: (id: string) => notFound('QosPolicyNotFound', `QoS policy ${id} could not be found.`),
  address_group: (id: string) => notFound('AddressGroupNotFound', `Address group ${id} could not be found.`),
  trunk: (id: string) => notFound('TrunkNotFound', `Trunk ${id} could not be found.`),
  metering_label: (id: string) => notFound('MeteringLabelNotFound', `Metering label ${id} does not exist`),
  metering_label_rule: (id: string) =>
    notFound('MeteringLabelRuleNotFound', `Metering label rule ${id} does not exist`),
} satisfies Record<string, (id: string) => NeutronError>;

export const networkInUse = (netId: string) =>
  conflict(
    'NetworkInUse',
    `Unable to complete operation on network ${netId}. There are one or more ports still in use on the network.`,
  );
export const subnetInUse = (
  subnetId: string,
  reason = 'One or more ports have an IP allocation from this subnet',
) => conflict('SubnetInUse', `Unable to complete operation on subnet ${subnetId}: ${reason}.`);
export const macAddressInUse = (netId: string, mac: string) =>
  conflict(
    'MacAddressInUse',
    `Unable to complete operation for network ${netId}. The mac address ${mac} is in use.`,
  );
export const ipAddressAlreadyAllocated = (ip: string, subnetId: string) =>
  conflict('IpAddressAlreadyAllocated', `IP address ${ip} already allocated in subnet ${subnetId}`);
export const ipAddressGenerationFailure = (netId: string) =>
  conflict('IpAddressGenerationFailure', `No more IP addresses available on network ${netId}.`);
export const invalidIpForNetwork = (ip: string) =>
  new NeutronError(
    'bad_request',
    'InvalidIpForNetwork',
    `IP address ${ip} is not a valid IP for any of the subnets on the specified network.`,
  );
export const invalidIpForSubnet = (ip: string) =>
  new NeutronError(
    'bad_request',
    'InvalidIpForSubnet',
    `IP address ${ip} is not a valid IP for the specified subnet.`,
  );
export const securityGroupInUse = (id: string) =>
  conflict('SecurityGroupInUse', `Security Group ${id} in use.`);
export const securityGroupRuleExists = (ruleId: string) =>
  conflict('SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${ruleId}.`);
export const cannotRemoveDefaultSecurityGroup = () =>
  conflict('SecurityGroupCannotRemoveDefault', 'Insufficient rights for removing default security group.');
export const revisionConstraintFailed = (expected: number, current: number) =>
  new NeutronError(
    'precondition_failed',
    'HTTPPreconditionFailed',
    `Constrained to ${expected}, but current revision is ${current}`,
  );
export const overQuota = (resources: string) =>
  conflict('OverQuota', `Quota exceeded for resources: ${resources}.`);
export const notAuthorized = () => new NeutronError('forbidden', 'HTTPForbidden', 'Not authorized.');
