import { blockStorageService } from '@nimbus/block-storage';
import { computeService } from '@nimbus/compute';
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { networkService } from '@nimbus/network';
import { objectStorageService } from '@nimbus/object-storage';
import { placementService } from '@nimbus/placement';
import type { ServiceDefinition } from '@nimbus/service';

/**
 * Every service this executable can run, in start order. A service joins the cloud by being
 * listed here; `nimbus up` runs every role of them all, `nimbus serve <service>-<role>` some roles.
 */
export const serviceRegistry: readonly ServiceDefinition[] = [
  identityService,
  imageService,
  objectStorageService,
  placementService,
  networkService,
  computeService,
  blockStorageService,
];
