import type { MicroversionSpec } from '@nimbus/http';

/** The oldest microversion served. */
export const COMPUTE_MIN_MICROVERSION = '2.1';
/** The newest microversion served (Nova 26, Zed). */
export const COMPUTE_MAX_MICROVERSION = '2.93';

/** Compute's microversion negotiation: `OpenStack-API-Version: compute 2.x` or Nova's legacy header. */
export const computeMicroversions: MicroversionSpec = {
  service: 'compute',
  min: COMPUTE_MIN_MICROVERSION,
  max: COMPUTE_MAX_MICROVERSION,
  legacyHeaders: ['X-OpenStack-Nova-API-Version'],
};
