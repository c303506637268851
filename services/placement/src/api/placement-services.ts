import type { PolicyCheck } from '@nimbus/http';
import type { CorsPolicy } from './cors';
import type { AllocationRepository } from '../db/allocation-repository';
import type { InventoryRepository } from '../db/inventory-repository';
import type { ProviderLinksRepository } from '../db/provider-links-repository';
import type { ProviderRepository } from '../db/provider-repository';
import type { UsageRepository } from '../db/usage-repository';
import type { CandidateFinder } from '../manager/candidates/candidate-finder';
import type { ResourceClasses } from '../manager/resource-classes';
import type { Traits } from '../manager/traits';

/** What Placement's controllers reach through `req.services`. */
export interface PlacementServices {
  /** `keystone` (tokens) or upstream's test-only `noauth2`. */
  authStrategy: 'keystone' | 'noauth2';
  policy: PolicyCheck;
  classes: ResourceClasses;
  traits: Traits;
  providers: ProviderRepository;
  inventories: InventoryRepository;
  links: ProviderLinksRepository;
  allocations: AllocationRepository;
  usages: UsageRepository;
  candidates: CandidateFinder;
  /** `[placement] randomize_allocation_candidates` and `max_placement_results`. */
  candidateOptions: { randomize: boolean; maxResults: number };
  /** oslo.middleware-style CORS, when `[cors] allowed_origin` names origins. */
  cors?: CorsPolicy;
  /** Project and user recorded for consumers written before microversion 1.8. */
  incompleteConsumer: { projectId: string; userId: string };
}
