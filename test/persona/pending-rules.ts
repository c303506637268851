import { blockStoragePending } from './pending/block-storage';
import { computePending } from './pending/compute';
import { identityPending } from './pending/identity';
import { imagePending } from './pending/image';
import { networkPending } from './pending/network';

/**
 * Rules the persona matrix has no request for yet, per service: a ledger that only shrinks. Each
 * name moves out when its request lands in `requests/<service>-requests.ts` (the coverage test
 * fails if a rule is both), and a newly registered rule must get a request or a reason, not a line here.
 */
export const pendingRules: Record<string, readonly string[]> = {
  identity: identityPending,
  image: imagePending,
  network: networkPending,
  'block-storage': blockStoragePending,
  compute: computePending,
};
