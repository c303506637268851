import { type Credentials, toPolicyCredentials } from '@nimbus/auth';
import type { PolicyCheck } from '@nimbus/http';
import {
  type LoadServicePolicyInput,
  loadServicePolicy,
  type RuleDefault,
  type ServicePolicy,
  type ServicePolicyLogger,
} from '@nimbus/policy';
import { addressGroupPolicies } from './address-group-policies';
import { agentPolicies } from './agent-policies';
import { basePolicies } from './base-policies';
import { floatingIpPolicies } from './floating-ip-policies';
import { meteringPolicies } from './metering-policies';
import { networkPolicies } from './network-policies';
import { neutronFieldCheck } from './neutron-field-check';
import { portPolicies } from './port-policies';
import { qosPolicies } from './qos-policies';
import { quotaPolicies } from './quota-policies';
import { rbacPolicies } from './rbac-policies';
import { routerPolicies } from './router-policies';
import { securityGroupPolicies } from './security-group-policies';
import { segmentPolicies } from './segment-policies';
import { subnetPolicies } from './subnet-policies';
import { subnetPoolPolicies } from './subnet-pool-policies';
import { trunkPolicies } from './trunk-policies';

/** Every default rule of the network service (Neutron Zed). */
export const neutronPolicies: readonly RuleDefault[] = [
  ...basePolicies,
  ...networkPolicies,
  ...subnetPolicies,
  ...portPolicies,
  ...securityGroupPolicies,
  ...routerPolicies,
  ...floatingIpPolicies,
  ...quotaPolicies,
  ...segmentPolicies,
  ...agentPolicies,
  ...subnetPoolPolicies,
  ...rbacPolicies,
  ...meteringPolicies,
  ...qosPolicies,
  ...addressGroupPolicies,
  ...trunkPolicies,
];

/** What the network service's policy is loaded from. */
export interface LoadNetworkPolicyInput {
  config: LoadServicePolicyInput['config'];
  dataDir: string;
  logger: ServicePolicyLogger;
  /** Watch `<policy_dir>/network.yaml` and reload on change (default true). */
  watch?: boolean;
}

/** The network service's policy check, with the file watch to close on shutdown. */
export interface NetworkPolicy extends PolicyCheck {
  /** The shared loader's policy underneath (reload, enforcer in force). */
  readonly service: ServicePolicy;
  close(): void;
}

/** Neutron's context adds `tenant_id` to oslo.context's policy values. */
const neutronCredentials = (c: Credentials) => ({
  ...toPolicyCredentials(c),
  tenant_id: c.projectId ?? null,
});

/** Neutron's resources carry `tenant_id` beside `project_id`; rules such as `owner` read it. */
function neutronTarget(target: Record<string, unknown>): Record<string, unknown> {
  if (target.project_id === undefined || target.tenant_id !== undefined) return target;
  return { ...target, tenant_id: target.project_id };
}

/**
 * The one place the network service builds its policy: Neutron's defaults through the shared
 * loader (`[oslo_policy] policy_dir/network.yaml`, reloaded on change, both enforcement options),
 * with Neutron's `field:` check kind, `tenant_id` in credentials and targets, and Neutron's
 * shortcut that an admin context passes every rule while `enforce_new_defaults` is off.
 */
export function loadNetworkPolicy(input: LoadNetworkPolicyInput): NetworkPolicy {
  const service = loadServicePolicy({
    serviceType: 'network',
    defaults: neutronPolicies,
    config: input.config,
    dataDir: input.dataDir,
    logger: input.logger,
    credentials: neutronCredentials,
    target: neutronTarget,
    checkKinds: { field: neutronFieldCheck },
    ...(input.watch !== undefined ? { watch: input.watch } : {}),
  });
  const isAdmin = (credentials: Credentials) =>
    !service.enforceNewDefaults && service.allowed('context_is_admin', {}, credentials);
  return {
    service,
    authorize: (action, target, credentials) => {
      if (!isAdmin(credentials)) service.authorize(action, target, credentials);
    },
    allowed: (action, target, credentials) =>
      isAdmin(credentials) || service.allowed(action, target, credentials),
    close: () => service.close(),
  };
}
