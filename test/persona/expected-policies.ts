import { blockStoragePolicies } from '@nimbus/block-storage';
import { computePolicies } from '@nimbus/compute';
import type { Config } from '@nimbus/config';
import { identityPolicies, identityPolicyCredentials } from '@nimbus/identity';
import { imagePolicies } from '@nimbus/image';
import { loadNetworkPolicy, neutronPolicies } from '@nimbus/network';
import { placementPolicies } from '@nimbus/placement';
import { loadServicePolicy, type RuleDefault, type ServicePolicyCheck } from '@nimbus/policy';

/** What the expectations are computed with: a service's registered defaults and their evaluation. */
export interface ExpectedPolicy {
  defaults: readonly RuleDefault[];
  check: ServicePolicyCheck & { close(): void };
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Each service's defaults, loaded as the service loads them (same credentials mapping, same
 * `[oslo_policy]`) but from an empty policy directory: what "the rule's default says" for a persona.
 */
export function expectedPolicies(
  config: Pick<Config, 'group'>,
  dataDir: string,
): Record<string, ExpectedPolicy> {
  const common = { config, dataDir, logger: silent, watch: false, strict: true } as const;
  const plain = (serviceType: string, defaults: readonly RuleDefault[], extra = {}): ExpectedPolicy => ({
    defaults,
    check: loadServicePolicy({ ...common, serviceType, defaults, ...extra }),
  });
  return {
    identity: plain('identity', identityPolicies, { credentials: identityPolicyCredentials }),
    image: plain('image', imagePolicies),
    placement: plain('placement', placementPolicies),
    network: {
      defaults: neutronPolicies,
      check: loadNetworkPolicy({ config, dataDir, logger: silent, watch: false }),
    },
    'block-storage': plain('block-storage', blockStoragePolicies),
    compute: plain('compute', computePolicies),
  };
}
