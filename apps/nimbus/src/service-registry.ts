import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { objectStorageService } from '@nimbus/object-storage';
import type { ServiceDefinition } from '@nimbus/service';

/**
 * Every service this executable can run, in start order. A service joins the cloud by being
 * listed here; `nimbus up` runs them all, `nimbus serve <type>-api` one of them.
 */
export const serviceRegistry: readonly ServiceDefinition[] = [identityService, imageService, objectStorageService];
